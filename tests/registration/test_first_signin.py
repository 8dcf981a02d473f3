"""People added from a list sign in the first time with a link: printed slips (QR) or sent by their channel."""

import re

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image

from academy.models import OutboxEmail, Profile
from courses.services.registration import enrol
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def added(course, admin_user):
    """A session with one person who signed up themselves and two added from a list (no password yet)."""
    session = factories.make_session(course, capacity=10)
    enrol(session, factories.participant(), actor=admin_user, notify=False)
    people = []
    for index, email in enumerate(["", "aida@example.org"]):
        user = get_user_model().objects.create_user(email=email or None, password=None)
        Profile.objects.create(user=user, full_name=f"Айда {index}", phone=f"+99670012340{index}")
        enrol(session, user, actor=admin_user, notify=False)
        people.append(user)
    return session, people


def _url(session, **query):
    return reverse("registration_signin_slips", args=[session.pk]) + ("?print=1" if query else "")


def test_the_slips_carry_a_working_link_for_each_person_without_a_password(client, added, admin_user):
    session, people = added
    client.force_login(admin_user)
    page = client.get(_url(session)).content.decode()
    assert "Айда 0" in page and "Айда 1" in page and "Айгүл Токтосунова" not in page  # not who signed up alone
    printed = client.get(_url(session, print=1)).content.decode()
    links = re.findall(r'<p class="link">([^<]+)</p>', printed)
    assert len(links) == 2 and printed.count("<svg") == 2
    client.logout()
    form = client.get(links[0].replace("http://testserver", ""), follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content


def test_sending_uses_each_persons_channel_once(client, added, admin_user, settings):
    session, people = added
    settings.SMS_URL = ""  # no SMS gateway here: the phone-only person cannot be reached, the other by e-mail
    client.force_login(admin_user)
    response = client.post(_url(session), follow=True)
    assert response.status_code == 200
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["aida@example.org"]
    client.post(_url(session))
    assert OutboxEmail.objects.count() == 1  # the same link is not sent twice


def test_only_the_sessions_managers_see_the_slips(client, added, participant, trainer, other_trainer):
    session, _people = added
    session.trainers.set([trainer])
    session.save()
    for person, allowed in ((participant, False), (other_trainer, False), (trainer, True)):
        client.force_login(person)
        response = client.get(_url(session, print=1))
        assert (response.status_code == 200) is allowed, person
    client.logout()
    assert client.get(_url(session)).status_code == 302  # to the admin's login


def test_the_printed_qr_decodes_to_the_link(client, added, admin_user):
    import io

    import cairosvg

    session, _people = added
    client.force_login(admin_user)
    printed = client.get(_url(session, print=1)).content.decode()
    svg = re.search(r"<svg.*?</svg>", printed, re.S).group(0)
    link = re.search(r'<p class="link">([^<]+)</p>', printed).group(1)
    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), output_width=400)))
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [link]
