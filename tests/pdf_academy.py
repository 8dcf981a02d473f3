"""The academy's names in the site settings, for tests that check who a PDF names as its author."""

NAMES = {
    "name_ky": "Жергиликтүү башкаруу академиясы",
    "name_ru": "Академия местного самоуправления",
    "name_en": "Academy of Local Governance",
}


def set_academy_names(**names):
    from wagtail.models import Site

    from cms.models import AcademySettings

    site = Site.objects.get(is_default_site=True)
    AcademySettings.objects.update_or_create(site=site, defaults={**NAMES, **names})
