"""/<lang>/municipality/: a municipality officer's staff with each person's qualification standing."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from academy.roles import municipality_officer
from certificates.services import staff_records
from courses.services import nominations

STATUS_FILTERS = ("up_to_date", "due_soon", "overdue")


@login_required
@require_GET
def municipality_staff(request):
    officer = municipality_officer(request.user)
    if officer is None:
        raise PermissionDenied(_("Only a municipality's head or HR officer can do this."))
    records = staff_records.staff_records(officer)
    counts = staff_records.summary(records)
    shown = request.GET.get("status")
    if shown in STATUS_FILTERS:
        records = [record for record in records if record.state.status == shown]
    else:
        shown = ""
    return render(
        request,
        "certificates/municipality/staff.html",
        {
            "officer": officer,
            "records": records,
            "counts": counts,
            "shown": shown,
            "pending": nominations.pending_approvals(officer).count(),
        },
    )
