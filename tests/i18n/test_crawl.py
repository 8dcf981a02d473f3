"""Crawl the seeded demo academy in ky, ru and en, as a visitor and as each demo role, and read every e-mail template.

Fails on a non-200 answer (redirects are followed, never into another language), on Latin words on ky/ru pages
outside a short allow-list, on Cyrillic words on en pages outside names of people, places and sessions, on
Kyrgyz-only letters on ru pages, and on Russian abbreviations on ky pages. Text inside an element marked with
another `lang` (the language switcher) is left to that language. Admin pages are skipped; downloads (media,
documents, PDF, calendar files) must answer 200 but their bodies are not read.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = ("ky", "ru", "en")
ROLES = ("visitor", "participant", "trainer", "admin")
SKIP = ("/q/", "/admin/", "/django-admin/", "/api/", "/i18n/", "logout", "/static/", "/telegram/")
DOWNLOADS = ("/media/", "/documents/", "/private/", ".pdf", ".ics", ".csv", ".xlsx", ".png", ".svg", "/download")
PER_SHAPE = 3  # pages of one shape (ids replaced by N) crawled per role and language: enough to read each template
#: Words that stay in Latin letters in every language: brands, codes, formats.
LATIN_ALLOWED = {
    "pdf",
    "qr",
    "id",
    "email",
    "e",
    "mail",
    "telegram",
    "linkedin",
    "whatsapp",
    "usaid",
    "msdsp",
    "kg",
    "dpi",
    "helvetas",
    "aga",
    "khan",
    "demo",  # the demo licence number DEMO-0000
    # File formats and standards named as such.
    "docx",
    "odt",
    "opendocument",
    "word",
    "excel",
    "jpg",
    "png",
    "json",
    "ld",
    "jwt",
    "open",
    "badge",
    "ii",
    "iii",
    # Each language in its own name (language switcher, preferred language, session language).
    "english",
    "кыргызча",
    "русский",
    "foundation",
    "caalg",
    "api",
    "csv",
    "xlsx",
    "ical",
    "ics",
    "ok",
    "url",
    "sms",
    "gmail",
}
RUSSIAN_ABBREVIATIONS = re.compile(r"(?<![\w-])(г|ул|чел|мкр|обл|р-н|им|тыс)\.(?=[\s,]|$)")
EMAIL_OR_URL = re.compile(
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:kg|org|com|net|gov|ru)\b|\S+@\S+|https?://\S+|www\.\S+|(?<!\w)/[\w\-./?=&%]+"
)
WORD = re.compile(r"[^\W\d_]+")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[А-Яа-яЁёҢңӨөҮү]")
KYRGYZ_ONLY = re.compile(r"[ҢңӨөҮү]")
VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")


class _Page(HTMLParser):
    """Visible text (and visible attributes) outside script/style and outside elements in another language."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack = []  # (tag, hidden)
        self.text = []
        self.links = []

    def _hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        lang = (attrs.get("lang") or "").split("-")[0]
        hidden = self._hidden() or tag in {"script", "style", "template"} or (lang and lang != self.language)
        if not hidden:
            self.text.extend(attrs[name] for name in VISIBLE_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.text.append(attrs["value"])
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "base"}:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                del self.stack[position:]
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.text.append(data)


def _data_words():
    """Words of names the data holds in one language only: people, places, organisations, sessions, venues, donors."""
    from academy.models import FundingProject, Municipality, Organization, Profile
    from cms.models import AcademySettings
    from courses.models import Material, Session, Venue

    texts = []
    for profile in Profile.objects.only("full_name", "full_name_latin"):
        texts += [profile.full_name, profile.full_name_latin]
    texts += list(Session.objects.values_list("title", flat=True))
    for venue in Venue.objects.all():
        texts += [venue.name, venue.address]
    texts += list(Organization.objects.values_list("name", flat=True))
    texts += [str(municipality) for municipality in Municipality.objects.all()]
    texts += list(FundingProject.objects.values_list("donor", flat=True))
    texts += list(AcademySettings.objects.values_list("address", flat=True))
    # Materials are uploaded in the language of their session and have no translations.
    for material in Material.objects.all():
        texts += [material.title, getattr(material, "description", "")]
    # External trainings are entered as their certificate names them, in one language.
    from certificates.models import ExternalTraining

    for title, provider in ExternalTraining.objects.values_list("title", "provider"):
        texts += [title, provider]
    return {word.lower() for text in texts for word in WORD.findall(text or "")}


def language_problems(text, language, allowed):
    """The words of `text` that do not belong on a page in `language`."""
    problems = set()
    if language == "ky":
        problems |= {match.group(0) for match in RUSSIAN_ABBREVIATIONS.finditer(text)}
    for word in WORD.findall(EMAIL_OR_URL.sub(" ", text)):
        lowered = word.lower()
        if lowered in allowed or lowered in LATIN_ALLOWED:
            continue
        if (
            language in {"ky", "ru"}
            and LATIN.search(word)
            or language == "en"
            and CYRILLIC.search(word)
            or language == "ru"
            and KYRGYZ_ONLY.search(word)
        ):
            problems.add(word)
    return problems


def _shape(path):
    return re.sub(r"\d+", "N", path)


def _client(role, client_class):
    from academy.data.demo.people import PARTICIPANTS, TRAINERS
    from academy.models import User

    client = client_class()
    if role == "participant":
        client.force_login(User.objects.get(email=PARTICIPANTS[0]["email"]))
    elif role == "trainer":
        client.force_login(User.objects.get(email=TRAINERS[0]["email"]))
    elif role == "admin":
        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "crawl-admin@example.org", "x"
        )
        client.force_login(admin)
    return client


def crawl(client, language, allowed, failures):
    """Breadth-first from /<language>/ over same-site links of the same language (and unprefixed ones)."""
    other_prefixes = tuple(f"/{code}/" for code in LANGUAGES if code != language)
    queue, seen, shapes = [f"/{language}/"], set(), defaultdict(int)
    pages = 0
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if path.startswith(settings.MEDIA_URL):
            # Public media (image renditions) are files the web server sends, not Django: the file must exist.
            if not (Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL)).is_file():
                failures.append(f"{path}: no such file in MEDIA_ROOT")
            continue
        response = client.get(path, follow=True)
        chain = [url for url, _status in response.redirect_chain]
        if any(urlsplit(url).path.startswith(other_prefixes) for url in chain):
            failures.append(f"{path}: redirected into another language {chain}")
            continue
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
            continue
        if any(marker in path for marker in DOWNLOADS) or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = _Page(language)
        parser.feed(response.content.decode())
        # The printed handout is bilingual ky/ru by design (courses/handout.py), whatever the reader's language.
        # On en it stays Kyrgyz and Russian (checked on the ky and ru crawls).
        if language == "en" and path.endswith("/handout/"):
            problems = set()
        else:
            problems = language_problems("\n".join(parser.text), language, allowed)
        if problems:
            failures.append(f"{path}: {sorted(problems)}")
        base = chain[-1] if chain else path
        for href in parser.links:
            url = urlsplit(urljoin(base, href))
            if url.scheme not in {"", "http"} or url.netloc not in {"", "testserver"}:
                continue
            target = url.path
            if target in seen or any(marker in target for marker in SKIP) or target.startswith(other_prefixes):
                continue
            if shapes[_shape(target)] >= PER_SHAPE:
                continue
            shapes[_shape(target)] += 1
            queue.append(target)
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_in_its_own_language(seeded, role, settings):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = seeded / "public", seeded / "private"
    allowed = _data_words()
    failures = []
    counts = {}
    for language in LANGUAGES:
        # A phone set to another language must not pull the visitor out of the site's language.
        client = _client(role, Client)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en" if language != "en" else "ru"
        counts[language] = crawl(client, language, allowed, failures)
    assert all(count >= 10 for count in counts.values()), counts
    assert not failures, "\n".join(failures)


def _email_templates():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    return sorted(path.name.removesuffix("_subject.txt") for path in folder.glob("*_subject.txt"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_reads_in_its_own_language(seeded, language):
    from courses.models import Registration
    from courses.services.registration_emails import email_context

    allowed = _data_words()
    registration = Registration.objects.select_related("session__course", "user").order_by("pk").first()
    failures = []
    for name in _email_templates():
        context = email_context(
            registration,
            language,
            user=registration.user,
            protocol="https",
            domain="testserver",
            uid="x",
            token="y",
            count=2,
            days_left=14,
        )
        with translation.override(language):
            for suffix in ("_subject.txt", ".txt", ".html"):
                try:
                    rendered = render_to_string(f"emails/{name}{suffix}", context)
                except Exception as error:  # a template that needs more context still gets its static text read
                    failures.append(f"{name}{suffix}: {error!r}")
                    continue
                if suffix == ".html":
                    parser = _Page(language)
                    parser.feed(rendered)
                    rendered = "\n".join(parser.text)
                problems = language_problems(rendered, language, allowed)
                if problems:
                    failures.append(f"{name}{suffix}: {sorted(problems)}")
    assert _email_templates()
    assert not failures, "\n".join(failures)
