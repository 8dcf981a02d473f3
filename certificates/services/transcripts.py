"""Transcripts: a person's qualification record on paper and as JSON, verifiable like a certificate.

Downloading the PDF issues a `Transcript`: what it says on that day (every training with its hours, the
total, the cycle status) is frozen in its snapshot and signed with the academy's Ed25519 key
(certificates.badges), and its QR code opens `/verify/transcript/<code>/`, where anyone sees what the
paper says and whether it is authentic. The same person downloading the same record again gets the same
transcript (one row per distinct content), so the PDF stays the same and rows do not pile up.
"""

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from academy.link_language import with_language
from certificates.models import CycleStatus, RoleGroup, Transcript
from certificates.services import hours_ledger
from certificates.services.notifications import absolute
from certificates.services.numbering import new_code
from certificates.services.verification import CODE_PATTERN
from certificates.transcript.pdf import TranscriptData, TranscriptRow, render_transcript_pdf

LANGUAGES = ("ky", "ru")
SNAPSHOT_VERSION = 1


def _language():
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def licence_number():
    from cms.models import AcademySettings

    academy = AcademySettings.objects.filter(site__is_default_site=True).only("licence_number").first()
    return academy.licence_number if academy else ""


# The record as JSON (the participant's page and GET /api/v1/me/transcript/) ------------------------


def cycle_dict(state):
    return {
        **state.as_dict(),
        "role_group_display": str(RoleGroup(state.role_group).label),
        "status_display": str(CycleStatus(state.status).label),
    }


def record_dict(record, language=None):
    """`hours_ledger.Record` as the API gives it, in `language` (the active one by default)."""
    language = language or _language()
    return {
        "holder": {"name": record.holder_name, "name_latin": record.holder_name_latin},
        "as_of": record.state.today.isoformat(),
        "total_hours": record.total_hours,
        "cycle": cycle_dict(record.state),
        "trainings": [entry.as_dict(language) for entry in record.entries],
    }


# Issuing ------------------------------------------------------------------------------------------


def snapshot_of(record, names=None, licence=None):
    names = names if names is not None else hours_ledger.academy_names()
    return {
        "version": SNAPSHOT_VERSION,
        "languages": list(LANGUAGES),
        "issuer_names": dict(names),
        "licence_number": licence if licence is not None else licence_number(),
        "total_hours": record.total_hours,
        "cycle": record.state.as_dict(),
        "trainings": [
            {
                "kind": entry.kind,
                "titles": dict(entry.titles),
                "provider": dict(entry.provider),
                "starts_on": entry.starts_on.isoformat(),
                "ends_on": entry.ends_on.isoformat(),
                "credited_on": entry.credited_on.isoformat(),
                "hours": entry.hours,
                "certificate_number": entry.certificate_number,
            }
            for entry in record.entries
        ],
    }


def _canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_digest(user_id, issued_on, holder_name, holder_name_latin, snapshot):
    payload = {
        "user": user_id,
        "issued_on": issued_on.isoformat(),
        "holder_name": holder_name,
        "holder_name_latin": holder_name_latin,
        "snapshot": snapshot,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _signed_bytes(code, digest):
    return f"transcript:{code}:{digest}".encode()


def sign(code, digest):
    from certificates.badges import signing_key

    signature = signing_key().sign(_signed_bytes(code, digest))
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def is_authentic(transcript):
    """The stored content still gives the signed digest, and the signature is the academy's."""
    from certificates.badges import signing_key

    digest = content_digest(
        transcript.user_id,
        transcript.issued_on,
        transcript.holder_name,
        transcript.holder_name_latin,
        transcript.snapshot,
    )
    if digest != transcript.digest:
        return False
    try:
        signature = base64.urlsafe_b64decode(transcript.signature + "=" * (-len(transcript.signature) % 4))
        signing_key().public_key().verify(signature, _signed_bytes(transcript.code, digest))
    except (InvalidSignature, ValueError):
        return False
    return True


def issue_transcript(user, today=None):
    """The transcript of `user`'s record as of `today`: the one already issued for the same content, or a new one."""
    today = today or timezone.localdate()
    record = hours_ledger.record(user, today)
    snapshot = snapshot_of(record)
    digest = content_digest(user.pk, today, record.holder_name, record.holder_name_latin, snapshot)
    existing = Transcript.objects.filter(user=user, digest=digest).first()
    if existing is not None:
        return existing
    for _attempt in range(3):
        code = new_code()
        try:
            with transaction.atomic():
                return Transcript.objects.create(
                    user=user,
                    code=code,
                    issued_on=today,
                    holder_name=record.holder_name[:200],
                    holder_name_latin=record.holder_name_latin[:200],
                    snapshot=snapshot,
                    digest=digest,
                    signature=sign(code, digest),
                )
        except IntegrityError:
            existing = Transcript.objects.filter(user=user, digest=digest).first()
            if existing is not None:  # the same download twice at the same moment
                return existing
    raise RuntimeError("Could not find a free transcript code.")


# The PDF ------------------------------------------------------------------------------------------


def verify_url(transcript, language=None):
    return with_language(absolute(transcript.get_verify_path()), language or LANGUAGES[0])


def _date(value):
    from datetime import date

    return date.fromisoformat(value) if value else None


def transcript_data(transcript):
    from certificates.services.templates import fonts

    snapshot = transcript.snapshot
    languages = tuple(snapshot.get("languages") or LANGUAGES)
    cycle = snapshot.get("cycle") or {}
    rows = []
    for training in snapshot.get("trainings", []):
        titles = training.get("titles") or {}
        fallback = next((title for title in titles.values() if title), "")
        provider = training.get("provider") or {}
        rows.append(
            TranscriptRow(
                titles=tuple(titles.get(lang) or fallback for lang in languages),
                provider=" / ".join(dict.fromkeys(provider.get(lang) or "" for lang in languages if provider.get(lang))),
                starts_on=_date(training["starts_on"]),
                ends_on=_date(training["ends_on"]),
                hours=training["hours"],
                certificate_number=training.get("certificate_number") or "",
                external=training.get("kind") == hours_ledger.EXTERNAL,
            )
        )
    return TranscriptData(
        code=transcript.code,
        verify_url=verify_url(transcript, languages[0]),
        languages=languages,
        holder_name=transcript.holder_name,
        holder_name_latin=transcript.holder_name_latin,
        issued_on=transcript.issued_on,
        issuer_names=snapshot.get("issuer_names") or {},
        rows=tuple(rows),
        total_hours=snapshot.get("total_hours", 0),
        min_hours=cycle.get("min_hours", 0),
        cycle_years=cycle.get("cycle_years", 0),
        cycle_start=_date(cycle.get("cycle_start")) or transcript.issued_on,
        hours_in_cycle=cycle.get("hours_in_cycle", 0),
        due_by=_date(cycle.get("due_by")),
        status=cycle.get("status", CycleStatus.OVERDUE),
        fonts=fonts(),
        licence_number=snapshot.get("licence_number", ""),
    )


def transcript_pdf(transcript):
    return render_transcript_pdf(transcript_data(transcript))


def pdf_filename(transcript):
    return f"transcript-{transcript.issued_on:%Y-%m-%d}-{transcript.code[:6]}.pdf"


# Public verification ------------------------------------------------------------------------------


def find_transcript(code):
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        return None
    return Transcript.objects.filter(code=code.upper()).first()


def public_record(transcript, language=None):
    """What the verification page shows: what the paper says, and whether it is authentic. Nothing else
    about the person (no e-mail, phone, position or municipality)."""
    language = language or _language()
    snapshot = transcript.snapshot
    names = snapshot.get("issuer_names") or {}
    cycle = snapshot.get("cycle") or {}
    trainings = []
    for training in snapshot.get("trainings", []):
        titles = training.get("titles") or {}
        provider = training.get("provider") or {}
        trainings.append(
            {
                "title": titles.get(language) or next((title for title in titles.values() if title), ""),
                "provider": provider.get(language) or next((name for name in provider.values() if name), ""),
                "starts_on": training["starts_on"],
                "ends_on": training["ends_on"],
                "hours": training["hours"],
                "certificate_number": training.get("certificate_number") or "",
                "external": training.get("kind") == hours_ledger.EXTERNAL,
            }
        )
    status = cycle.get("status", CycleStatus.OVERDUE)
    return {
        "authentic": is_authentic(transcript),
        "holder": {"name": transcript.holder_name, "name_latin": transcript.holder_name_latin},
        "issued_on": transcript.issued_on.isoformat(),
        "issuer": {
            "name": names.get(language) or next((name for name in names.values() if name), ""),
            "licence_number": snapshot.get("licence_number", ""),
        },
        "total_hours": snapshot.get("total_hours", 0),
        "cycle": {
            "min_hours": cycle.get("min_hours"),
            "cycle_years": cycle.get("cycle_years"),
            "cycle_start": cycle.get("cycle_start"),
            "hours_in_cycle": cycle.get("hours_in_cycle"),
            "due_by": cycle.get("due_by"),
            "status": status,
            "status_display": str(CycleStatus(status).label),
        },
        "trainings": trainings,
        "verify_url": absolute(transcript.get_verify_path()),
    }
