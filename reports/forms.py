from django import forms
from django.utils.translation import gettext_lazy as _

from reports.services.feedback import TEXT_LIMITS

SCORES = [(str(score), str(score)) for score in range(1, 6)]


class FeedbackForm(forms.Form):
    content_score = forms.ChoiceField(
        label=_("How useful was the content?"),
        choices=SCORES,
        widget=forms.RadioSelect,
        help_text=_("1 — not useful, 5 — very useful"),
    )
    trainer_score = forms.ChoiceField(
        label=_("How good was the trainer?"),
        choices=SCORES,
        widget=forms.RadioSelect,
        help_text=_("1 — poor, 5 — excellent"),
    )
    organisation_score = forms.ChoiceField(
        label=_("How well was the training organised?"),
        choices=SCORES,
        widget=forms.RadioSelect,
        help_text=_("1 — poorly, 5 — very well"),
    )
    most_useful = forms.CharField(
        label=_("What was most useful?"),
        required=False,
        max_length=TEXT_LIMITS["most_useful"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comments = forms.CharField(
        label=_("Comments and suggestions"),
        required=False,
        max_length=TEXT_LIMITS["comments"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_from(cls, feedback):
        if feedback is None:
            return {}
        return {
            "content_score": str(feedback.content_score),
            "trainer_score": str(feedback.trainer_score),
            "organisation_score": str(feedback.organisation_score),
            "most_useful": feedback.most_useful,
            "comments": feedback.comments,
        }
