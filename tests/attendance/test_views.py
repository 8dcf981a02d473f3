import re

import pytest
from django.urls import reverse

from courses.models import AssignmentSubmission, Attendance, CompletionOverride, Session
from courses.services import attendance as attendance_service
from courses.services import checkin
from courses.services import completion as completion_service
from tests import factories

from .conftest import make_session, pdf_bytes, png_bytes, register, upload

DAY_START = factories.bishkek(2026, 12, 15, 9, 0)


@pytest.fixture
def people(participant, other_participant, trainer, other_trainer, admin_user):
    return {
        "anonymous": None,
        "participant": participant,
        "other_participant": other_participant,
        "trainer": trainer,
        "other_trainer": other_trainer,
        "admin": admin_user,
    }


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


TRAINER_PAGES = [
    "attendance_roll_call",
    "attendance_checkin_screen",
    "attendance_checkin_code",
    "attendance_signin_sheet",
    "attendance_paper",
    "attendance_assignments",
    "attendance_completion",
]


@pytest.mark.parametrize("name", TRAINER_PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("participant", 403), ("other_participant", 403), ("other_trainer", 403), ("trainer", 200), ("admin", 200)],
)
def test_trainer_pages_permissions(client, people, assignment_session, name, who, expected):
    register(assignment_session, people["participant"])
    response = _client_for(client, people[who]).get(reverse(name, args=[assignment_session.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("participant", 403), ("other_trainer", 200), ("trainer", 200), ("admin", 200)],
)
def test_dashboard_permissions(client, people, session, who, expected):
    response = _client_for(client, people[who]).get(reverse("trainer_dashboard"))
    assert response.status_code == expected
    if who == "trainer":
        assert reverse("attendance_roll_call", args=[session.pk]) in response.content.decode()
    if who == "other_trainer":
        assert reverse("attendance_roll_call", args=[session.pk]) not in response.content.decode()


def test_dashboard_runs_bounded_queries(client, course, trainer, django_assert_max_num_queries, clock):
    sessions = Session.objects.bulk_create(
        [
            Session(
                course=course,
                starts_at=DAY_START.replace(day=1 + n % 28, month=12),
                ends_at=DAY_START.replace(day=1 + n % 28, month=12, hour=18),
                capacity=10,
                status="open",
            )
            for n in range(200)
        ]
    )
    Session.trainers.through.objects.bulk_create(
        [Session.trainers.through(session_id=s.pk, user_id=trainer.pk) for s in sessions]
    )
    client.force_login(trainer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("trainer_dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 20
    assert client.get(reverse("trainer_dashboard") + "?when=past&page=99").status_code == 200


def test_admin_menu_links_to_the_dashboard(client, trainer, participant):
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "trainer-dashboard" in response.content.decode()
    assert "/trainer/" in response.content.decode()


# Roll call -----------------------------------------------------------------------------------------


def test_roll_call_lists_confirmed_only_and_runs_bounded_queries(client, session, trainer, django_assert_max_num_queries):
    for n in range(40):
        register(session, factories.participant(), status="confirmed" if n % 4 else "pending")
    client.force_login(trainer)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("attendance_roll_call", args=[session.pk]) + "?day=2026-12-16")
    html = response.content.decode()
    assert html.count('class="rc-row"') == 30
    assert 'name="day" value="2026-12-16"' in html


def test_roll_call_without_js(client, session, registration, trainer):
    client.force_login(trainer)
    url = reverse("attendance_roll_call", args=[session.pk])
    response = client.post(url, {"registration": registration.pk, "day": "2026-12-16", "status": "late"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?day=2026-12-16#r{registration.pk}")
    row = Attendance.objects.get()
    assert (row.day.isoformat(), row.status, row.method) == ("2026-12-16", "late", "roll_call")
    page = client.get(response["Location"]).content.decode()
    assert 'value="late" class="rc-btn rc-late" aria-pressed="true"' in page


def test_roll_call_with_fetch(client, session, registration, trainer):
    client.force_login(trainer)
    url = reverse("attendance_roll_call", args=[session.pk])
    headers = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}
    response = client.post(url, {"registration": registration.pk, "day": "2026-12-15", "status": "present"}, **headers)
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["status"] == "present"
    bad = client.post(url, {"registration": registration.pk, "day": "2027-01-01", "status": "present"}, **headers)
    assert bad.status_code == 400 and "outside" in bad.json()["detail"]
    bad = client.post(url, {"registration": registration.pk, "day": "2026-12-15", "status": "sleeping"}, **headers)
    assert bad.status_code == 400
    assert Attendance.objects.get().status == "present"


def test_roll_call_post_denied_to_other_trainer(client, session, registration, other_trainer):
    client.force_login(other_trainer)
    response = client.post(
        reverse("attendance_roll_call", args=[session.pk]),
        {"registration": registration.pk, "day": "2026-12-15", "status": "present"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_roll_call_bad_slot_in_query_shows_a_message(client, session, trainer):
    client.force_login(trainer)
    response = client.get(reverse("attendance_roll_call", args=[session.pk]) + "?day=2030-01-01&block=zz")
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()


# QR ---------------------------------------------------------------------------------------------------


def _decode_qr(svg):
    from io import BytesIO

    import cairosvg
    import zxingcpp
    from PIL import Image

    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=600, output_height=600, background_color="white")
    results = zxingcpp.read_barcodes(Image.open(BytesIO(png)).convert("L"))
    assert results, "no QR code found"
    return results[0].text


def test_qr_screen_code_scanned_and_followed(client, session, registration, trainer, participant, clock):
    clock.move_to(DAY_START)
    client.force_login(trainer)
    page = client.get(reverse("attendance_checkin_screen", args=[session.pk]))
    assert page.status_code == 200
    svg = re.search(r"<svg.*?</svg>", page.content.decode(), re.S).group(0)
    url = _decode_qr(svg)
    assert url.startswith("http://testserver/en/check-in/")  # the language of the screen showing it
    assert "works only on" not in page.content.decode()
    day_two = client.get(reverse("attendance_checkin_screen", args=[session.pk]) + "?day=2026-12-16")
    assert "Check-in for this day works only on" in day_two.content.decode()
    path = url.removeprefix("http://testserver")

    # The JSON endpoint gives the next code once the window rotates.
    clock.shift(checkin.ROTATION_SECONDS)
    data = client.get(reverse("attendance_checkin_code", args=[session.pk])).json()
    assert data["url"] != url and data["expected"] == 1 and data["checked_in"] == 0
    assert _decode_qr(data["svg"]) == data["url"]

    client.logout()
    # Not logged in yet: the scan is remembered and the participant is sent to log in.
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    clock.shift(5 * 60)  # logging in took a while; the code itself has expired by now
    client.force_login(participant)
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "Confirm" in confirm.content.decode() or 'type="submit"' in confirm.content.decode()
    assert not Attendance.objects.exists()  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    row = Attendance.objects.get()
    assert (row.registration, row.method) == (registration, "qr")


def test_check_in_page_refuses_bad_codes(client, session, registration, trainer, participant, other_participant, clock):
    clock.move_to(DAY_START)
    code = checkin.issue_code(session, attendance_service.session_slots(session)[0], by=trainer).code
    path = reverse("attendance_check_in", args=[code])
    client.force_login(other_participant)
    response = client.post(path)
    assert response.status_code == 403 and "not a confirmed participant" in response.content.decode()
    client.force_login(participant)
    response = client.post(reverse("attendance_check_in", args=[code[:-3] + "xyz"]))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    clock.shift(checkin.ROTATION_SECONDS + checkin.VALID_SECONDS + 1)
    response = client.post(path)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Attendance.objects.exists()


def test_anonymous_with_an_expired_code_is_not_sent_to_log_in(client, session, trainer, clock):
    clock.move_to(DAY_START)
    code = checkin.issue_code(session, attendance_service.session_slots(session)[0], by=trainer).code
    clock.shift(600)
    response = client.get(reverse("attendance_check_in", args=[code]))
    assert response.status_code == 400


# Paper ------------------------------------------------------------------------------------------------


def test_signin_sheet_pdf_has_cyrillic_names(client, block_session, named_participant, trainer):
    import pypdfium2

    register(block_session, named_participant)
    register(block_session, factories.participant())
    client.force_login(trainer)
    response = client.get(reverse("attendance_signin_sheet", args=[block_session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    assert len(pdf) == 2  # one page per day of blocks
    text = pdf[0].get_textpage().get_text_range()
    assert "Өмүрбек Таңатаров" in text
    assert "Сессия 1" in text
    image = pdf[0].render(scale=1).to_pil()
    assert (image.width, image.height) == (596, 842)  # A4 portrait for two blocks a day
    assert image.convert("L").getextrema()[0] < 50  # something dark was drawn


def test_paper_entry_grid(client, block_session, block_registration, trainer, other_participant):
    pending = register(block_session, other_participant, status="pending")
    slots = attendance_service.session_slots(block_session)
    client.force_login(trainer)
    url = reverse("attendance_paper", args=[block_session.pk])
    page = client.get(url).content.decode()
    assert f"a-{block_registration.pk}-{slots[0].key}" in page
    assert f"a-{pending.pk}-" not in page
    data = {f"a-{block_registration.pk}-{slot.key}": "present" for slot in slots[:3]}
    data[f"a-{block_registration.pk}-{slots[3].key}"] = "absent"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(method="paper").count() == 4
    block_registration.refresh_from_db()
    assert block_registration.attendance_percent == 75
    # A bad value changes nothing and shows the error.
    data[f"a-{block_registration.pk}-{slots[3].key}"] = "asleep"
    data[f"a-{block_registration.pk}-{slots[0].key}"] = "late"
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Attendance.objects.filter(status="late").exists()
    # Nothing changed: nothing written.
    assert client.post(url, {}).status_code == 302


# Assignments ----------------------------------------------------------------------------------------------


def test_participant_uploads_on_the_page(client, assignment_session, participant):
    registration = register(assignment_session, participant)
    client.force_login(participant)
    url = reverse("attendance_my_assignment", args=[assignment_session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload("БАП.pdf", pdf_bytes())})
    assert response.status_code == 302
    submission = AssignmentSubmission.objects.get()
    assert submission.registration == registration
    response = client.post(url, {"file": upload("plan.pdf", png_bytes())})
    assert response.status_code == 400 and "does not match" in response.content.decode()
    assert AssignmentSubmission.objects.count() == 1


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("other_participant", 404), ("trainer", 404)])
def test_assignment_page_is_the_participants_own(client, people, assignment_session, who, expected):
    register(assignment_session, people["participant"])
    response = _client_for(client, people[who]).get(reverse("attendance_my_assignment", args=[assignment_session.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("participant", 200), ("other_participant", 403), ("trainer", 200), ("other_trainer", 403), ("admin", 200)],
)
def test_download_permissions(client, people, assignment_session, who, expected):
    registration = register(assignment_session, people["participant"])
    submission = completion_service.submit_assignment(
        registration, upload("БАП.pdf", pdf_bytes()), by=people["participant"]
    )
    response = _client_for(client, people[who]).get(reverse("attendance_submission_file", args=[submission.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [("participant", "submitted"), ("other_trainer", "submitted"), ("trainer", "accepted"), ("admin", "accepted")],
)
def test_review_on_the_page(client, people, assignment_session, who, expected_status):
    registration = register(assignment_session, people["participant"])
    submission = completion_service.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=people["participant"])
    response = _client_for(client, people[who]).post(
        reverse("attendance_review", args=[submission.pk]), {"decision": "accept"}
    )
    assert response.status_code == (302 if expected_status == "accepted" else 403)
    submission.refresh_from_db()
    assert submission.status == expected_status


def test_return_without_feedback_on_the_page(client, assignment_session, participant, trainer):
    registration = register(assignment_session, participant)
    submission = completion_service.submit_assignment(registration, upload("a.pdf", pdf_bytes()), by=participant)
    client.force_login(trainer)
    response = client.post(reverse("attendance_review", args=[submission.pk]), {"decision": "return"}, follow=True)
    assert "Tell the participant" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    page = client.get(reverse("attendance_assignments", args=[assignment_session.pk])).content.decode()
    assert "a.pdf" in page


# Completion -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"), [("participant", False), ("other_trainer", False), ("trainer", True), ("admin", True)]
)
def test_override_on_the_page(client, people, session, who, allowed):
    registration = register(session, people["participant"])
    response = _client_for(client, people[who]).post(
        reverse("attendance_override", args=[registration.pk]), {"completed": "yes", "reason": "Толуктады"}
    )
    assert response.status_code == (302 if allowed else 403)
    registration.refresh_from_db()
    assert (registration.completed_at is not None) == allowed
    assert CompletionOverride.objects.count() == int(allowed)


def test_override_without_reason_on_the_page(client, session, registration, trainer):
    client.force_login(trainer)
    response = client.post(reverse("attendance_override", args=[registration.pk]), {"completed": "yes"}, follow=True)
    assert "Give a reason" in response.content.decode()
    assert not CompletionOverride.objects.exists()
    page = client.get(reverse("attendance_completion", args=[session.pk])).content.decode()
    assert registration.user.display_name in page


@pytest.mark.parametrize(
    ("who", "allowed"), [("anonymous", False), ("participant", False), ("other_trainer", False), ("trainer", True), ("admin", True)]
)
def test_finalise_on_the_page(client, people, session, who, allowed, clock):
    register(session, people["participant"])
    clock.move_to(factories.bishkek(2026, 12, 20))
    response = _client_for(client, people[who]).post(reverse("attendance_finalise", args=[session.pk]))
    assert response.status_code in ((302,) if allowed else (302, 403))
    session.refresh_from_db()
    assert (session.status == "completed") == allowed


def test_pages_for_a_missing_session(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("attendance_roll_call", args=[999999])).status_code == 404
    assert client.get(reverse("attendance_submission_file", args=[999999])).status_code == 404


def test_make_session_helper_keeps_trainers(course, trainer):
    session = make_session(course, trainers=[trainer])
    assert list(session.trainers.all()) == [trainer]
