"""Demo Municipalitet journal: rubrics, the archive, three issues (cover, PDF) and their articles in ky,
with ru and en translations of titles and summaries; articles link the demo practices (idempotent)."""

from datetime import date

from cms.data.journal import INDEX, ISSUES, RUBRICS
from cms.data.pictures import cover_jpeg, issue_pdf
from cms.models import ArticlePage, ArticlePracticeLink, JournalIndexPage, JournalIssuePage, JournalRubric, PracticePage
from cms.services.media import document_titled, image_titled
from cms.services.site import ensure_child, translate_page

ORDER = 26  # after the practices (25), which articles link
TRANSLATIONS = ("ru", "en")


def _rubrics():
    for row in RUBRICS:
        JournalRubric.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return {rubric.code: rubric for rubric in JournalRubric.objects.all()}


def _body(blocks):
    body = []
    for kind, text in blocks:
        if kind == "heading":
            body.append({"type": "heading", "value": {"text": text, "size": "h2"}})
        elif kind == "quote":
            quote, _bar, attribution = text.partition("|")
            body.append({"type": "quote", "value": {"text": quote, "attribution": attribution}})
        else:
            body.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    return body


def _issue(index, row, rubrics):
    contents = [
        (rubrics[article["rubric"]].name_ky, article["title_ky"], article["authors"].get("ky", ""))
        for article in row["articles"]
    ]
    cover = image_titled(
        f"«Муниципалитет» {row['title_ky']}",
        lambda: cover_jpeg(row["title_ky"].split(",")[0], row["date"][:4], row["cover_line"]),
        f"municipalitet-{row['slug']}.jpg",
    )
    pdf = document_titled(
        f"«Муниципалитет» {row['title_ky']} (PDF)",
        lambda: issue_pdf(row["title_ky"], contents),
        f"municipalitet-{row['slug']}.pdf",
    )
    issue = ensure_child(
        index,
        JournalIssuePage,
        row["slug"],
        title=row["title_ky"],
        number=row["number"],
        overall_number=row["overall_number"],
        date=date.fromisoformat(row["date"]),
        image=cover,
        pdf=pdf,
        summary=row["summary_ky"],
    )
    for code in TRANSLATIONS:
        translate_page(issue, code, title=row[f"title_{code}"], summary=row[f"summary_{code}"])
    return issue


def _article(issue, row, rubrics, practices):
    links = [ArticlePracticeLink(practice=practices[slug]) for slug in row["practices"] if slug in practices]
    article = ensure_child(
        issue,
        ArticlePage,
        row["slug"],
        title=row["title_ky"],
        authors=row["authors"].get("ky", ""),
        rubric=rubrics[row["rubric"]],
        summary=row["summary_ky"],
        text_language="ky",
        body=_body(row["body"]),
        practice_links=links,
    )
    for code in TRANSLATIONS:
        translate_page(
            article,
            code,
            title=row[f"title_{code}"],
            summary=row[f"summary_{code}"],
            authors=row["authors"].get(code, ""),
        )


def seed(context):
    home = context["homes"]["ky"]
    rubrics = _rubrics()
    index = ensure_child(home, JournalIndexPage, "municipalitet", title=INDEX["ky"][0], intro=INDEX["ky"][1])
    for code in TRANSLATIONS:
        translate_page(index, code, title=INDEX[code][0], intro=INDEX[code][1])
    practices = {page.slug: page for page in PracticePage.objects.filter(locale_id=home.locale_id)}
    articles = 0
    for row in ISSUES:
        issue = _issue(index, row, rubrics)
        for article in row["articles"]:
            _article(issue, article, rubrics, practices)
            articles += 1
    return f"{len(ISSUES)} journal issues with {articles} articles in ky with ru and en translations"
