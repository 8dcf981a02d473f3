"""On PostgreSQL: people signing up at the same moment with one number get one account; the others a message."""

import pytest

from academy.errors import DomainError
from academy.models import Profile, User
from academy.services import accounts
from tests.registration.test_concurrency import run_in_threads

# serialized_rollback: the flush after a transactional test must not leave the next serialized test colliding.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_simultaneous_sign_ups_with_one_number_make_one_account():
    def sign_up(index):
        return lambda: accounts.sign_up_participant(
            email=None,
            password="Strong-pass-2026",
            consent=True,
            profile={"full_name": f"Асел {index}", "phone": "+996700555001"},
        )

    results, errors, _seconds = run_in_threads([sign_up(index) for index in range(8)])
    assert Profile.objects.filter(phone="+996700555001").count() == 1 and User.objects.count() == 1
    assert sum(result is not None for result in results) == 1
    assert len(errors) == 7 and all(isinstance(error, DomainError) and error.field == "phone" for error in errors)
