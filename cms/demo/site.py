"""Demo site content: home pages in ky/ru/en, academy settings, an about page and news."""

from datetime import date

from wagtail.models import Site

from academy.data.demo.catalogue import ACADEMY, NEWS
from cms.models import AcademySettings, NewsIndexPage, NewsPage, StandardPage
from cms.services.site import ensure_child, ensure_home_pages, translate_page

ORDER = 20
LANGUAGES = ("ky", "ru", "en")


def seed(context):
    homes = ensure_home_pages(
        {code: ACADEMY[f"name_{code}"] for code in LANGUAGES},
        intro={code: ACADEMY[f"about_{code}"] for code in LANGUAGES},
    )
    context["homes"] = homes
    site = Site.objects.get(is_default_site=True)
    AcademySettings.objects.update_or_create(
        site=site,
        defaults={
            "name_ky": ACADEMY["name_ky"],
            "name_ru": ACADEMY["name_ru"],
            "name_en": ACADEMY["name_en"],
            "short_name": ACADEMY["short_name"],
            "licence_number": ACADEMY["licence_number"],
            # The site speaks Kyrgyz first; the Russian form ("г. Бишкек, ул. ...") read as Russian on ky pages.
            "address": ACADEMY["address_ky"],
            "phone": ACADEMY["phone"],
            "email": ACADEMY["email"],
        },
    )
    about = ensure_child(homes["ky"], StandardPage, "about", title="Академия жөнүндө", intro=ACADEMY["about_ky"])
    translate_page(about, "ru", title="Об академии", intro=ACADEMY["about_ru"])
    translate_page(about, "en", title="About the academy", intro=ACADEMY["about_en"])
    news_index = ensure_child(homes["ky"], NewsIndexPage, "news", title="Жаңылыктар")
    translate_page(news_index, "ru", title="Новости")
    translate_page(news_index, "en", title="News")
    for item in NEWS:
        page = ensure_child(
            news_index,
            NewsPage,
            item["slug"],
            title=item["title_ky"],
            date=date.fromisoformat(item["date"]),
            intro=item["body_ky"],
        )
        for code in ("ru", "en"):
            translate_page(page, code, title=item[f"title_{code}"], intro=item[f"body_{code}"])
    return f"home pages in {', '.join(homes)}, {len(NEWS)} news items"
