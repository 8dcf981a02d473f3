"""The outbox in bulk: many e-mails stored in two queries, sent together after commit, each once."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from academy.models import OutboxEmail
from academy.reversing import cached_reverse
from academy.services.notifications import Email, queue_email, queue_emails
from academy.tasks import send_outbox_emails

RESET_CONTEXT = {"protocol": "https", "domain": "academy.example.org", "uid": "x", "token": "y", "user": None}


def email(n, language="ky"):
    return Email(
        key=f"bulk-test:{n}",
        to=f"person{n}@example.org",
        template="password_reset",
        context=RESET_CONTEXT,
        language=language,
    )


@pytest.mark.django_db
def test_many_emails_are_stored_in_two_queries_and_sent_once_after_commit(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    queue_email(
        key="bulk-test:0", to="person0@example.org", template="password_reset", context=RESET_CONTEXT, language="ru"
    )
    mail.outbox.clear()
    # At most: the keys already taken, and one insert in a savepoint.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, django_assert_max_num_queries(4):
        stored = queue_emails([email(n, ("ky", "ru", "en")[n % 3]) for n in range(6)] + [email(3)])
    assert [row.key for row in stored] == [f"bulk-test:{n}" for n in range(1, 6)]  # 0 was there; 3 twice is once
    assert len(callbacks) == 1  # one task for all of them
    assert sorted(message.to[0] for message in mail.outbox) == [f"person{n}@example.org" for n in range(1, 6)]
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 5
    assert "academy.example.org" in mail.outbox[0].body


@pytest.mark.django_db
def test_sending_a_list_twice_sends_each_email_once():
    with translation.override("en"):
        stored = queue_emails([email(n) for n in range(3)])
    ids = [row.pk for row in stored]
    assert send_outbox_emails(ids) == 3
    assert send_outbox_emails(ids) == 0
    assert len(mail.outbox) == 3
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_rest_sent_and_the_failed_one_pending(settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    stored = queue_emails([email(n) for n in range(3)])
    original = EmailBackend.send_messages

    def refuse_the_second(self, messages):
        if messages[0].to == ["person1@example.org"]:
            raise ConnectionRefusedError("the mail server hung up")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_second)
    with pytest.raises(ConnectionRefusedError):
        send_outbox_emails.run([row.pk for row in stored])
    statuses = dict(OutboxEmail.objects.values_list("to", "status"))
    assert statuses == {"person0@example.org": "sent", "person1@example.org": "pending", "person2@example.org": "sent"}
    failed = OutboxEmail.objects.get(to="person1@example.org")
    # The failed attempt is counted and its reason kept, so flush_outbox gives up after its maximum.
    assert (failed.attempts, failed.last_error) == (1, "the mail server hung up")
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert send_outbox_emails.run([row.pk for row in stored]) == 1  # the retry sends only the failed one
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_cached_reverse_gives_what_reverse_gives(language):
    with translation.override(language):
        for name, args in [("my_certificates", []), ("my_certificate_pdf", [42]), ("certificate_verify", ["AB2C"])]:
            assert cached_reverse(name, *args) == reverse(name, args=args)
        assert cached_reverse("certificate_verify", "a b") == reverse("certificate_verify", args=["a b"])
        assert cached_reverse("my_certificate_pdf", 7).startswith(f"/{language}/")


def test_cached_reverse_follows_the_script_prefix():
    from django.urls import set_script_prefix

    set_script_prefix("/academy/")
    try:
        assert cached_reverse("certificate_verify", "AB2C") == "/academy/verify/AB2C/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("certificate_verify", "AB2C") == "/verify/AB2C/"
