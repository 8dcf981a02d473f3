from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses import signals

        signals.connect_document_signals()

        from courses.search import register_providers

        register_providers()  # the public site search (cms/search/) finds courses, sessions, materials

        from courses import practice_links

        practice_links.connect()  # course pages and practice pages list each other

        from courses import article_links

        article_links.connect()  # course pages and journal articles list each other
