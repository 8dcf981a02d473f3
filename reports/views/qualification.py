"""Who is due, where: the admin screen (filters, figures, district map, tables) and its .xlsx export."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from academy.errors import PermissionDeniedError
from reports import charts, exports
from reports.qualification_forms import QualificationFilterForm
from reports.services import qualification
from reports.services.qualification.tables import as_report, map_chart

from .admin import report_links


class QualificationView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/qualification.html"
    page_title = gettext_lazy("Who is due for training")
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.scope = qualification.scope_for(request.user)
        except PermissionDeniedError as error:
            raise PermissionDenied(str(error)) from error
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = QualificationFilterForm(request.GET, scope=self.scope)
        self.result = None
        if self.form.is_valid():
            export = request.GET.get("export") == "xlsx"
            page, size = self.form.page_number(), qualification.PAGE_SIZE
            self.result = qualification.build(
                self.form.place(),
                self.scope,
                statuses=self.form.statuses(),
                limit=None if export else size,
                offset=0 if export else (page - 1) * size,
            )
            if export:
                return exports.response(as_report(self.result), "xlsx", self.filter_lines(), request)
        return super().get(request, *args, **kwargs)

    def filter_lines(self):
        lines = [_("As of %(day)s") % {"day": f"{self.result.today:%d.%m.%Y}"}]
        for name in ("oblast", "district", "municipality", "status"):
            value = self.form.cleaned_data.get(name)
            if value:
                field = self.form.fields[name]
                shown = dict(field.choices).get(value, value) if name == "status" else value
                lines.append(f"{field.label}: {shown}")
        return lines

    def _url(self, **changes):
        params = {key: value for key, value in self.request.GET.items() if value and key != "export"}
        params.update(changes)
        params = {key: value for key, value in params.items() if value not in (None, "")}
        return self.request.path + ("?" + urlencode(params) if params else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            result=self.result,
            reset_url=self.request.path,
            report_links=report_links(self.request) if self.scope is None else [],
        )
        if self.result is not None:
            report = as_report(self.result)
            chart = map_chart(self.result)
            page, size = self.form.page_number(), qualification.PAGE_SIZE
            pages = max(1, -(-self.result.people_count // size))
            context.update(
                report=report,
                people=report.table("people"),
                municipalities=report.table("municipalities"),
                map_chart=chart,
                map_svg=charts.render(chart),
                export_url=self._url(export="xlsx"),
                page=page,
                pages=pages,
                previous_url=self._url(page=page - 1) if page > 1 else None,
                next_url=self._url(page=page + 1) if page < pages else None,
                officer_scope=self.scope is not None,
            )
        return context

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_admin:index"), "label": _("Training reports")},
            {"url": "", "label": self.get_page_title()},
        ]
