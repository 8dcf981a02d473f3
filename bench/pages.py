"""The one published course page a bench needs, under the Kyrgyz home and course index (made when missing)."""


def ensure_course(slug, title, hours):
    from cms.services.site import ensure_home_pages
    from courses.models import CourseIndexPage, CoursePage

    homes = ensure_home_pages({"ky": "Академия", "ru": "Академия", "en": "Academy"})
    course = CoursePage.objects.filter(slug=slug).first()
    if course is None:
        index = CourseIndexPage.objects.filter(locale=homes["ky"].locale).first()
        if index is None:
            index = CourseIndexPage(title="Курстар", slug="courses")
            homes["ky"].add_child(instance=index)
        course = CoursePage(title=title, slug=slug, hours=hours)
        index.add_child(instance=course)
        course.save_revision().publish()
    return course
