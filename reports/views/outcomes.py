"""The donor outcome report in the Wagtail admin (issue 19.5): academy admins only, like the donor summary and
the costs it includes. A funding project and a period; the figures level by level, the per-session table,
an .xlsx download and the donor PDF in the language of the request."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from academy import pdf_metadata
from reports import exports
from reports.outcomes.forms import OutcomeForm
from reports.outcomes.pdf import outcome_pdf
from reports.services.outcomes import report as outcomes_report

from .admin import EXPORT_PARAMETER, OUTPUT_PARAMETER, ReportsBase, _filter_query, period_line

LANGUAGE_PARAMETER = "lang"


def pdf_languages():
    return [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]


class OutcomeReportView(ReportsBase):
    admin_only = True
    template_name = "reports/admin/outcomes.html"
    page_title = gettext_lazy("Outcome report")
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        self.report = None
        self.form = OutcomeForm(request.GET or None)
        if self.form.is_valid():
            if request.GET.get(OUTPUT_PARAMETER) == "pdf":
                return self.pdf(request.GET.get(LANGUAGE_PARAMETER))
            self.report = outcomes_report.report(self.form.report_filters())
            self.period = period_line(self.form.cleaned_data.get("from"), self.form.cleaned_data.get("to"))
            if request.GET.get(EXPORT_PARAMETER) == "xlsx":
                lines = [f"{_('Funding project')}: {self.report.title}", self.period]
                return exports.response(self.report, "xlsx", lines, request)
        return super().get(request, *args, **kwargs)

    def pdf(self, language):
        """The donor PDF in `language` (ky, ru or en; the donor may read Kyrgyz while the admin speaks Russian
        or English), else in the request's language."""
        if language not in dict(settings.LANGUAGES):
            language = get_language()
        with translation.override(language):
            report = outcomes_report.report(self.form.report_filters())
            period = period_line(self.form.cleaned_data.get("from"), self.form.cleaned_data.get("to"))
            content = outcome_pdf(report, period, pdf_metadata.academy_name())
        answer = HttpResponse(content, content_type="application/pdf")
        answer["Content-Disposition"] = f'inline; filename="{exports.filename(report, "pdf")}"'
        answer["Cache-Control"] = "no-store"
        return answer

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, report=self.report, reset_url=self.request.path)
        if self.report is not None:
            context.update(
                period_line=self.period,
                xlsx_url=self.request.path + _filter_query(self.request, **{EXPORT_PARAMETER: "xlsx"}),
                pdf_links=[
                    {
                        "label": _("PDF in %(language)s") % {"language": name},
                        "url": self.request.path
                        + _filter_query(self.request, **{OUTPUT_PARAMETER: "pdf", LANGUAGE_PARAMETER: code}),
                    }
                    for code, name in pdf_languages()
                ],
            )
        return context
