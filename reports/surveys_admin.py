"""Surveys in the Wagtail admin (Training reports → Surveys): academy admins design them; nobody else sees them."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from academy.errors import DomainError
from certificates.permissions import AcademyAdminPolicy
from reports.models import Survey
from reports.services.surveys import design as survey_design

register_permission_policy(Survey, AcademyAdminPolicy(Survey))


class SurveyAdminForm(WagtailAdminModelForm):
    """Checks the whole survey with its questions (see `survey_design.design_problems`)."""

    def is_valid(self):
        if not super().is_valid():
            return False
        drafts = []
        for form in self.formsets["questions"].forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            drafts.append(
                survey_design.QuestionDraft(
                    pk=form.instance.pk,
                    kind=data.get("kind", ""),
                    standard=data.get("standard", ""),
                    text=data.get("text_ky", ""),
                    options=survey_design.option_counts(
                        {code: data.get(f"choices_{code}", "") for code in ("ky", "ru", "en")}
                    ),
                    is_active=data.get("is_active", True),
                    deleted=bool(data.get("DELETE")),
                )
            )
        instance = self.instance if self.instance.pk else None
        problems = survey_design.design_problems(
            instance,
            course=self.cleaned_data.get("course"),
            is_active=self.cleaned_data.get("is_active"),
            drafts=drafts,
        )
        for problem in problems:
            self.add_error(None, problem)
        return not problems


class SurveyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course").annotate(answer_count=Count("feedback"))


class SurveyDeleteView(generic.DeleteView):
    """A survey with answers, or the default one, is switched off or replaced, never deleted."""

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            survey_design.check_can_delete(self.object)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.index_url_name)
        return super().post(request, *args, **kwargs)


def _course(survey):
    return survey.course.title if survey.course_id else gettext_lazy("All courses (default)")


class SurveyViewSet(ModelViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = gettext_lazy("Surveys")
    url_prefix = "training-reports/surveys"
    name = "surveys"
    index_view_class = SurveyIndexView
    delete_view_class = SurveyDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column("title", label=gettext_lazy("Title")),
        Column("course", label=gettext_lazy("Course"), accessor=_course),
        BooleanColumn("is_active", label=gettext_lazy("Active")),
        Column("answer_count", label=gettext_lazy("Answers")),
    ]
    list_filter = ["is_active"]
    search_fields = ["title_ky", "title_ru", "title_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("title_ky"), FieldPanel("title_ru"), FieldPanel("title_en")], heading=gettext_lazy("Title")
            ),
            FieldRowPanel([FieldPanel("course"), FieldPanel("is_active")]),
            InlinePanel(
                "questions",
                heading=gettext_lazy("Questions"),
                label=gettext_lazy("Question"),
                panels=[
                    FieldRowPanel(
                        [FieldPanel("kind"), FieldPanel("standard"), FieldPanel("required"), FieldPanel("is_active")]
                    ),
                    FieldPanel("text_ky"),
                    FieldPanel("text_ru"),
                    FieldPanel("text_en"),
                    FieldRowPanel([FieldPanel("choices_ky"), FieldPanel("choices_ru"), FieldPanel("choices_en")]),
                ],
            ),
        ],
        base_form_class=SurveyAdminForm,
    )
