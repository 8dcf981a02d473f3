"""The participant's qualification record ("My qualification record", the transcript PDF) and the public
verification page of a transcript. Thin: the services build everything."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from academy.link_language import speaks_link_language
from academy.throttling import throttle
from certificates.services import hours_ledger, transcripts, verification


@login_required
@require_GET
def my_transcript(request):
    record = hours_ledger.record(request.user)
    language = (get_language() or "ky")[:2]
    entries = [(entry, entry.title(language), entry.provider_name(language)) for entry in record.entries]
    return render(
        request,
        "certificates/my_transcript.html",
        {"record": record, "state": record.state, "entries": entries},
    )


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def my_transcript_pdf(request):
    transcript = transcripts.issue_transcript(request.user)
    response = HttpResponse(transcripts.transcript_pdf(transcript), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{transcripts.pdf_filename(transcript)}"'
    return response


@require_GET
@speaks_link_language  # the QR code names the transcript's first language (?lang=), Kyrgyz by default
def verify_transcript(request, code):
    limit, window = verification.verify_rate()
    if not throttle(request, "verify", limit=limit, window=window):
        return render(request, "certificates/verify_error.html", {"throttled": True}, status=429)
    transcript = transcripts.find_transcript(code)
    if transcript is None:
        request.urlconf = "certificates.urls_unprefixed"  # keep the 404 (see views._not_found)
        return render(request, "certificates/verify_transcript_error.html", {"code": code[:40]}, status=404)
    record = transcripts.public_record(transcript)
    for training in record["trainings"]:  # dates for the page's own date format
        training["starts"], training["ends"] = date.fromisoformat(training["starts_on"]), date.fromisoformat(training["ends_on"])
    return render(request, "certificates/verify_transcript.html", {"record": record, "transcript": transcript})
