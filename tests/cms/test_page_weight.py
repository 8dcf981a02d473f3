"""What a phone downloads for a practice page with photos: under 300 KB, pictures as WebP sized for the screen.

The phone is 360 CSS pixels wide at a device pixel ratio of 2 (a common Android phone); for each picture it
takes the smallest `srcset` candidate at least as wide as the slot its `sizes` gives, in device pixels, as
browsers do. The photos are drawn with texture and grain (cms/data/pictures.py) so they weigh what camera
photos weigh once resized; the page counts every picture, also those loaded lazily further down.
"""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from cms.services.site import translate_page
from tests.cms.conftest import make_photo, make_practice

pytestmark = pytest.mark.django_db

VIEWPORT, DPR, REM = 360, 2, 16
BUDGET = 300 * 1024
PHOTOS = ["village", "meeting", "works", "school", "water", "fields", "hall"]


def _length(text):
    """A CSS length of `sizes` at the phone's viewport: px, vw, rem and calc() of them."""
    text = text.strip()
    if text.startswith("calc(") and text.endswith(")"):
        total, sign = 0.0, 1
        for token in text[5:-1].split():
            if token in "+-":
                sign = 1 if token == "+" else -1
            else:
                total += sign * _length(token)
        return total
    number, unit = re.fullmatch(r"([\d.]+)(px|vw|rem)", text).groups()
    return float(number) * {"px": 1, "vw": VIEWPORT / 100, "rem": REM}[unit]


def _slot(sizes):
    for part in (piece.strip() for piece in sizes.split(",")):
        media = re.match(r"\(min-width:\s*([\d.]+)(rem|px)\)\s*(.+)", part)
        if media is None:
            return _length(part)
        width = float(media.group(1)) * (REM if media.group(2) == "rem" else 1)
        if width <= VIEWPORT:
            return _length(media.group(3))
    return VIEWPORT


def chosen_pictures(html):
    """The URL a phone downloads for each <img>."""
    urls = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if "srcset" not in attributes:
            urls.append(attributes["src"])
            continue
        candidates = sorted(
            (int(width), url) for url, width in re.findall(r"(\S+)\s+(\d+)w", attributes["srcset"].replace(",", " "))
        )
        needed = _slot(attributes.get("sizes", "100vw")) * DPR
        urls.append(next((url for width, url in candidates if width >= needed), candidates[-1][1]))
    return urls


def _media_file(url):
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def page_weight(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    parts = {"html": len(response.content), "html_gzip": len(gzip.compress(response.content))}
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<script src="([^"]+)"', html)
    parts["css_js"] = sum(
        Path(finders.find(asset.removeprefix(settings.STATIC_URL))).stat().st_size for asset in assets
    )
    pictures = chosen_pictures(html)
    parts["pictures"] = sum(_media_file(picture).stat().st_size for picture in pictures)
    parts["total"] = parts["html"] + parts["css_js"] + parts["pictures"]
    return parts, pictures


@pytest.fixture
def practice_with_photos(practice_index, topics):
    photos = [make_photo(key) for key in PHOTOS]
    return make_practice(
        practice_index,
        "photos",
        topics=[topics["water"]],
        image=photos[0],
        photos=[
            {"type": "photo", "value": {"image": photo.pk, "caption": f"Сүрөт {n}"}}
            for n, photo in enumerate(photos[1:])
        ],
    )


def test_a_practice_page_with_seven_photos_weighs_under_300_kb_on_a_phone(client, practice_with_photos, capsys):
    parts, pictures = page_weight(client, practice_with_photos.url)
    with capsys.disabled():
        print(f"\npractice page on a 360 px phone (DPR 2): {parts}")
    assert len(pictures) == 7
    assert all(picture.endswith(".webp") and "original_images" not in picture for picture in pictures)
    assert parts["total"] < BUDGET, parts


def test_the_phone_gets_renditions_for_its_screen_not_the_largest(client, practice_with_photos):
    html = client.get(practice_with_photos.url).content.decode()
    pictures = chosen_pictures(html)
    assert "fill-720x480" in pictures[0]  # the main photo: 328 px slot, twice the pixels
    assert all("fill-360x270" in picture for picture in pictures[1:])  # the gallery: two a row
    assert "1080x720" in html and "540x405" in html  # larger screens still get sharp pictures


def test_the_index_with_thumbnails_stays_light_too(client, practice_index, practice_with_photos, topics):
    for number in range(11):
        make_practice(practice_index, f"more-{number}", topics=[topics["water"]], image=make_photo(PHOTOS[number % 7]))
    parts, pictures = page_weight(client, practice_index.url)
    assert len(pictures) == 12 and all("fill-224x168" in picture for picture in pictures)
    assert parts["total"] < BUDGET, parts


def test_the_translated_page_weighs_the_same_pictures(client, practice_with_photos):
    english = translate_page(practice_with_photos, "en", title="Photos", summary="A practice with photos.")
    assert chosen_pictures(client.get(english.url).content.decode()) == chosen_pictures(
        client.get(practice_with_photos.url).content.decode()
    )
