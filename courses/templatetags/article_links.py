"""`{% course_articles page as articles %}`: the journal articles a course page lists (courses.models.article_links)."""

from django import template

from courses.models.article_links import articles_of

register = template.Library()


@register.simple_tag
def course_articles(course):
    return articles_of(course)
