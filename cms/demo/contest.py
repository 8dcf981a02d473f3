"""Demo yearly contest: the contest page in ky/ru/en, the 2026 round with its criteria and jury, and one entry
in each state (draft, submitted, returned with the editors' comment, accepted, scored, three winners), made
through the same services the site uses (idempotent: a round that already has entries is left alone)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import transaction

from academy.demo import DEMO_PASSWORD
from academy.models import Profile, User
from cms.contest.forms import text_to_html
from cms.data.contest import CRITERIA, ENTRIES, JURY, PAGE, RETURN_COMMENT, REVIEWER, TITLE, YEAR
from cms.models import ContestCriterion, ContestPage, ContestRound, PracticePage
from cms.services import contest, contest_jury
from cms.services.site import ensure_child, translate_page

ORDER = 27  # after the practices (25), whose photos and index the entries use
TRANSLATIONS = ("ru", "en")
BISHKEK = ZoneInfo("Asia/Bishkek")
DEADLINE = datetime(YEAR, 11, 30, 18, 0, tzinfo=BISHKEK)
OPEN_UNTIL = datetime(2100, 1, 1, tzinfo=BISHKEK)  # while the demo's entries are sent


def _page(home):
    page = ensure_child(home, ContestPage, "contest", title=PAGE["ky"][0], intro=PAGE["ky"][1])
    for code in TRANSLATIONS:
        translate_page(page, code, title=PAGE[code][0], intro=PAGE[code][1])
    return page


def _reviewer():
    user = User.objects.filter(email=REVIEWER["email"]).first()
    if user is None:
        user = User.objects.create_user(email=REVIEWER["email"], password=DEMO_PASSWORD)
        Profile.objects.create(user=user, full_name=REVIEWER["name_ky"], full_name_latin=REVIEWER["name_latin"])
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def _round(jurors):
    contest_round = ContestRound.objects.filter(year=YEAR).first()
    if contest_round is not None:
        return contest_round, False
    contest_round = ContestRound(
        year=YEAR,
        title_ky=TITLE["ky"],
        title_ru=TITLE["ru"],
        title_en=TITLE["en"],
        deadline=OPEN_UNTIL,
        winners_count=3,
    )
    contest_round.criteria = [
        ContestCriterion(name_ky=ky, name_ru=ru, name_en=en, weight=weight, max_points=max_points, sort_order=order)
        for order, (ky, ru, en, weight, max_points) in enumerate(CRITERIA)
    ]
    contest_round.jury = jurors
    contest_round.save()
    return contest_round, True


def _entry(contest_round, row, user, reviewer, pictures):
    data = {
        "title": row["title"],
        "summary": row["summary"],
        "year": YEAR,
        "problem": text_to_html(row["problem"]),
        "what_was_done": text_to_html(row["done"]),
        "contact_name": row["contact"][0],
        "contact_position": row["contact"][1],
    }
    images = [pictures[row["photo"]]] if row.get("photo") in pictures else []
    submission = contest.create_submission(
        contest_round, user, data, images=images, submit=row["status"] != "draft", language="ky"
    )
    if row["status"] in ("draft", "submitted"):
        return submission
    task_state = PracticePage.objects.get(pk=submission.practice_id).current_workflow_task_state
    action = "reject" if row["status"] == "returned" else "approve"
    comment = RETURN_COMMENT if action == "reject" else ""
    task_state.task.specific.on_action(task_state, reviewer, action, comment=comment)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def seed(context):
    from cms.demo.practices import photos

    page = _page(context["homes"]["ky"])
    jury_group = Group.objects.get_or_create(name="Contest jury")[0]
    jurors = list(User.objects.filter(email__in=JURY))
    for juror in jurors:
        juror.groups.add(jury_group)
    contest_round, created = _round(jurors)
    if not created:
        return f"contest round {YEAR} already there ({contest_round.submissions.count()} entries), page {page.url}"
    reviewer = _reviewer()
    pictures = photos()
    people = {user.email: user for user in User.objects.filter(email__in=[row["email"] for row in ENTRIES])}
    made = 0
    for row in ENTRIES:
        user = people.get(row["email"])
        if user is None or contest.municipality_of(user) is None:
            continue
        submission = _entry(contest_round, row, user, reviewer, pictures)
        for juror, values in zip(jurors, row.get("scores", ()), strict=False):
            contest_jury.record_scores(
                submission, juror, {c.pk: v for c, v in zip(contest_round.criteria.all(), values, strict=True)}
            )
        made += 1
    contest_round.deadline = DEADLINE
    contest_round.save(update_fields=["deadline"])
    if made:
        contest_jury.publish_results(contest_round, reviewer)
    return f"contest round {YEAR}: {made} entries in every state, {len(jurors)} jurors, results published"
