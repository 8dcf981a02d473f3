"""Certificate numbers: unique and without gaps per year, whatever the concurrency.

The year's counter row is locked (UPDATE ... RETURNING takes the row lock) inside the transaction
that creates the certificate. A second issuer waits for the first to commit; a transaction that rolls back
rolls the counter back with it, so no number is ever lost.
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from certificates.models import CertificateCounter

CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32: no 0/1/8/9, easy to read aloud
CODE_LENGTH = 20  # 100 bits


def next_sequence(year):
    """Take the next number of `year`. Must run inside the transaction that uses it."""
    return take_sequences(year, 1)[0]


def take_sequences(year, count):
    """Take the next `count` numbers of `year` at once. Must run inside the transaction that uses them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Certificate numbers must be taken inside the transaction that creates the certificates.")
    if count < 1:
        return []
    last = _increment(year, count)
    if last is None:
        try:
            with transaction.atomic():
                CertificateCounter.objects.create(year=year, last_number=0)
        except IntegrityError:
            pass  # another issuer created the year's row first; use theirs
        last = _increment(year, count)
    return list(range(last - count + 1, last + 1))


def _increment(year, count):
    """Add `count` to the year's counter and return the new last number, in one statement that keeps the row
    locked until commit."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(CertificateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + %s WHERE year = %s RETURNING last_number", [count, year]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def format_number(year, sequence):
    prefix = getattr(settings, "CERTIFICATES_NUMBER_PREFIX", "CAALG")
    return f"{prefix}-{year}-{sequence:06d}"


def new_code():
    """An unguessable verification code: 20 base32 characters from the system's CSPRNG."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
