"""The page tree every language shares: a home page per locale under the Wagtail root."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage


def ensure_locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


@transaction.atomic
def ensure_home_pages(titles, *, intro=None):
    """Create (or find) the Kyrgyz home page, its ru/en translations, and point the default site at it.

    `titles` and `intro` map language codes to text. Returns {language: HomePage}.
    """
    locales = ensure_locales()
    default_code = settings.LANGUAGE_CODE
    home = HomePage.objects.filter(locale=locales[default_code]).first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(
            title=titles[default_code],
            slug="academy",
            intro=(intro or {}).get(default_code, ""),
            locale=locales[default_code],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    homes = {default_code: home}
    for code, locale in locales.items():
        if code == default_code:
            continue
        translation = HomePage.objects.filter(translation_key=home.translation_key, locale=locale).first()
        if translation is None:
            translation = home.copy_for_translation(locale)
            translation.title = titles.get(code, home.title)
            translation.intro = (intro or {}).get(code, "")
            translation.save_revision().publish()
        homes[code] = translation.specific
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Academy"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    # Wagtail's placeholder "Welcome" page is no longer reachable once the site points at the home page.
    for placeholder in Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page"):
        placeholder.delete()
    return homes


def translate_page(page, language, **fields):
    """Return the page's translation in `language`, creating and publishing it with the given fields."""
    locale = Locale.objects.get(language_code=language)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    changed = False
    for name, value in fields.items():
        if getattr(translation, name) != value:
            setattr(translation, name, value)
            changed = True
    if changed or not translation.live:
        translation.save_revision().publish()
    return translation


def ensure_child(parent, model, slug, **fields):
    """The live `model` page `slug` under `parent`, created and published with `fields` when missing.

    An existing page is left as it is (editors may have changed it since). `parent` is read again from
    the database first: a stale parent object would add the child at a path already taken.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        parent = Page.objects.get(pk=parent.pk)
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page
