"""Demo best-practice portal: the topic list, the index and the practices of cms/data/practices.py in ky,
with ru and en translations of their titles and summaries (idempotent: pages are found again by slug)."""

from academy.models import FundingProject, Municipality
from cms.data.pictures import document_pdf, photo_jpeg
from cms.data.practices import INDEX, PHOTOS, PRACTICES, TOPICS
from cms.models import PracticeIndexPage, PracticePage, PracticeTopic
from cms.services.media import document_titled, image_titled
from cms.services.site import ensure_child, translate_page

ORDER = 25  # after the reference geography and funding projects (academy, 10) and the home pages (cms, 20)
TRANSLATIONS = ("ru", "en")


def _topics():
    for row in TOPICS:
        PracticeTopic.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return {topic.code: topic for topic in PracticeTopic.objects.all()}


def photos():
    """The demo's pictures by key (drawn once, then found by title)."""
    return {
        key: image_titled(title, lambda key=key: photo_jpeg(key), f"practice-{key}.jpg")
        for key, title in PHOTOS.items()
    }


def _index(home):
    index = ensure_child(home, PracticeIndexPage, "practices", title=INDEX["ky"][0], intro=INDEX["ky"][1])
    for code in TRANSLATIONS:
        translate_page(index, code, title=INDEX[code][0], intro=INDEX[code][1])
    return index


def _document(row, municipality):
    if not row.get("document"):
        return []
    title = row["document"]
    document = document_titled(
        title,
        lambda: document_pdf(
            municipality.name_ky, title, [("ЖӨБдүн мыкты тажрыйбалар порталы", row["title_ky"], str(row["year"]))]
        ),
        f"{row['slug']}.pdf",
    )
    return [{"type": "document", "value": {"document": document.pk, "title": ""}}]


def _practice_fields(row, municipality, topics, pictures, projects):
    # The main photo, then three for the gallery: the row's own pictures first, the rest of the pool after.
    keys = [*row["photos"], *(key for key in PHOTOS if key not in row["photos"])][:4]
    return {
        "title": row["title_ky"],
        "summary": row["summary_ky"],
        "municipality": municipality,
        "year": row["year"],
        "topics": [topics[code] for code in row["topics"]],
        "funding_project": projects.get(row["funding_project"]),
        "image": pictures[keys[0]],
        "text_language": "ky",
        "problem": row["problem"],
        "what_was_done": row["done"],
        "results": [
            {"type": "figures", "value": [{"value": value, "label": label} for value, label in row["figures"]]}
        ],
        "partners": "\n".join(row["partners"]),
        "photos": [
            {"type": "photo", "value": {"image": pictures[key].pk, "caption": f"{PHOTOS[key]}, {municipality.name_ky}"}}
            for key in keys[1:]
        ],
        "documents": _document(row, municipality),
        "contact_name": row["contact"][0],
        "contact_position": row["contact"][1],
        "contact_phone": row["contact"][2],
    }


def seed(context):
    home = context["homes"]["ky"]
    topics = _topics()
    pictures = photos()
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in=[row["municipality"] for row in PRACTICES])
    }
    projects = {project.code: project for project in FundingProject.objects.all()}
    index = _index(home)
    made = 0
    for row in PRACTICES:
        municipality = municipalities.get(row["municipality"])
        if municipality is None:
            continue
        page = ensure_child(
            index, PracticePage, row["slug"], **_practice_fields(row, municipality, topics, pictures, projects)
        )
        for code in TRANSLATIONS:
            translate_page(page, code, title=row[f"title_{code}"], summary=row[f"summary_{code}"])
        made += 1
    context["practice_index"] = index
    return f"{made} practices in ky with ru and en translations, {len(topics)} topics"
