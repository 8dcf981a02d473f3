"""Report screens in the Wagtail admin: a filter form, figures, charts, tables, .csv/.xlsx exports.

Admins see everything; trainers see their own sessions only (the filters carry their scope);
the participant list (personal data) and the donor summary are for admins only.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from academy import pdf_metadata
from reports import charts, exports, pdf
from reports.filters import ReportFilterSet
from reports.services import participant_list, summary
from reports.services.base import can_see_personal_data, can_view_reports, for_user
from reports.services.registry import REPORTS

EXPORT_PARAMETER = "export"
OUTPUT_PARAMETER = "output"


def period_line(start, end):
    """The period of sessions a donor report covers (both ends optional), as its page, .xlsx and PDF say it."""
    if start and end:
        return _("Sessions starting from %(start)s to %(end)s") % {
            "start": f"{start:%d.%m.%Y}",
            "end": f"{end:%d.%m.%Y}",
        }
    if start:
        return _("Sessions starting from %(start)s") % {"start": f"{start:%d.%m.%Y}"}
    if end:
        return _("Sessions starting until %(end)s") % {"end": f"{end:%d.%m.%Y}"}
    return _("All periods")


def report_links(request):
    """The report tabs/cards the user may open, keeping the current filters."""
    query = _filter_query(request)
    links = [
        {"key": key, "label": label, "url": reverse(f"reports_admin:{key}") + query}
        for key, (label, _build) in REPORTS.items()
    ]
    if can_see_personal_data(request.user):
        links.append(
            {"key": "donor_summary", "label": _("Donor summary"), "url": reverse("reports_admin:donor_summary") + query}
        )
        links.append({"key": "costs", "label": _("Costs"), "url": reverse("reports_admin:costs") + query})
        links.append(
            {
                "key": "participant_list",
                "label": _("Participant list"),
                "url": reverse("reports_admin:participant_list") + query,
            }
        )
    return links


def _filter_query(request, **extra):
    params = request.GET.copy()
    for name in (EXPORT_PARAMETER, OUTPUT_PARAMETER):
        params.pop(name, None)
    for name, value in extra.items():
        params[name] = value
    params = {name: value for name, value in params.items() if value not in ("", None)}
    return "?" + urlencode(params) if params else ""


class ReportAccessMixin:
    admin_only = False

    def dispatch(self, request, *args, **kwargs):
        allowed = can_see_personal_data(request.user) if self.admin_only else can_view_reports(request.user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportsBase(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        items = self.breadcrumbs_items + [{"url": reverse("reports_admin:index"), "label": _("Training reports")}]
        if self.page_title != _("Training reports"):
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report_links"] = report_links(self.request)
        context["is_trainer_scope"] = not can_see_personal_data(self.request.user)
        return context


class ReportIndexView(ReportsBase):
    template_name = "reports/admin/index.html"
    page_title = gettext_lazy("Training reports")


class FilteredReportView(ReportsBase):
    """Validates the shared filter set, builds the report for the user's scope, renders or exports it."""

    template_name = "reports/admin/report.html"
    report = None

    def build_report(self, filters):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.filterset = ReportFilterSet(request.GET, request=request)
        if self.filterset.is_valid():
            self.filters = for_user(self.filterset.report_filters(), request.user)
            self.report = self.build_report(self.filters)
            answer = self.respond(request)
            if answer is not None:
                return answer
        return super().get(request, *args, **kwargs)

    def respond(self, request):
        export_format = request.GET.get(EXPORT_PARAMETER)
        if export_format in exports.FORMATS:
            return exports.response(self.report, export_format, self.filter_lines(), request)
        return None

    def filter_lines(self):
        """Human-readable active filters, printed at the top of exports and printouts."""
        lines = []
        form = self.filterset.form
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            lines.append(f"{field.label}: {value}")
        if self.filters.scope_trainer_id:
            lines.append(_("Only sessions trained by %(name)s") % {"name": self.request.user})
        return lines

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            filterset=self.filterset,
            report=report,
            charts=[(chart, charts.render(chart)) for chart in report.charts] if report else [],
            filter_lines=self.filter_lines() if report else [],
            export_links=[
                {"label": label, "url": self.request.path + _filter_query(self.request, **{EXPORT_PARAMETER: fmt})}
                for fmt, label in (("xlsx", _("Download .xlsx")), ("csv", _("Download .csv")))
            ],
            reset_url=self.request.path,
        )
        return context


class ReportView(FilteredReportView):
    report_key = None

    def get_page_title(self):
        return REPORTS[self.report_key][0]

    def build_report(self, filters):
        return REPORTS[self.report_key][1](filters)


class ParticipantListView(FilteredReportView):
    """Names, e-mails and phones: admins only, and only as a download they ask for."""

    admin_only = True
    template_name = "reports/admin/participant_list.html"
    page_title = gettext_lazy("Participant list")

    def build_report(self, filters):
        return participant_list.report(filters, self.request.user)


class DonorSummaryView(FilteredReportView):
    """One page per funding project and period: admin screen, printable HTML and PDF."""

    admin_only = True
    template_name = "reports/admin/donor_summary.html"
    page_title = gettext_lazy("Donor summary")

    def build_report(self, filters):
        report = summary.donor_report(filters)
        report.charts = [summary.map_chart(report)]
        return report

    def period_line(self):
        data = self.filterset.form.cleaned_data
        return period_line(data.get("date_from"), data.get("date_to"))

    def respond(self, request):
        output = request.GET.get(OUTPUT_PARAMETER)
        if output == "pdf":
            content = pdf.donor_summary_pdf(self.report, self.period_line(), _academy_name(request))
            answer = HttpResponse(content, content_type="application/pdf")
            answer["Content-Disposition"] = f'inline; filename="{exports.filename(self.report, "pdf")}"'
            answer["Cache-Control"] = "no-store"
            return answer
        if output == "print":
            return render(request, "reports/donor_summary_print.html", self.print_context())
        return super().respond(request)

    def print_context(self):
        return {
            "report": self.report,
            "period_line": self.period_line(),
            "filter_lines": self.filter_lines(),
            "map": charts.render(self.report.charts[0]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.report:
            context["period_line"] = self.period_line()
            context["print_url"] = self.request.path + _filter_query(self.request, **{OUTPUT_PARAMETER: "print"})
            context["pdf_url"] = self.request.path + _filter_query(self.request, **{OUTPUT_PARAMETER: "pdf"})
        return context


def _academy_name(request):
    """The academy's name in the request's language, from the site settings (else WAGTAIL_SITE_NAME)."""
    return pdf_metadata.academy_name()
