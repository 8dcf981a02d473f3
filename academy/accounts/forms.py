"""Sign-in and password reset forms of the site and the Wagtail admin, under the sign-in limits.

The password itself is checked by academy.auth_backends.SigninLimitedBackend; these forms show the pause
before checking anything, and send the reset e-mail through the outbox, so it survives an SMTP outage.
"""

import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from academy.services import notifications, signin_limits

logger = logging.getLogger(__name__)


class SigninLimitedFormMixin:
    """An AuthenticationForm that says until when sign-in is paused, instead of "wrong password"."""

    limit_reached = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            try:
                signin_limits.check_signin(self.request, username)
            except signin_limits.LimitReached as error:
                self.limit_reached = error
                raise ValidationError(str(error), code="throttled") from error
        return super().clean()


class EmailAuthenticationForm(SigninLimitedFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class AdminLoginForm(SigninLimitedFormMixin, WagtailLoginForm):
    """The Wagtail admin's login (WAGTAILADMIN_USER_LOGIN_FORM)."""


class OutboxResetMailMixin:
    """Django renders the reset e-mail; the outbox stores and sends it (retried while SMTP is down)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        notifications.queue_rendered_email(
            key=f"password-reset:{context['user'].pk}:{context['token']}",
            to=to_email,
            subject=subject,
            text=text,
            html=html,
        )


class SitePasswordResetForm(OutboxResetMailMixin, PasswordResetForm):
    """The site's reset request: limited per address and per e-mail, with a message saying until when."""

    limit_reached = None

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email:
            try:
                signin_limits.count_password_reset(self.request, email)
            except signin_limits.LimitReached as error:
                self.limit_reached = error
                raise ValidationError(str(error), code="throttled") from error
        return cleaned_data


class AdminPasswordResetForm(OutboxResetMailMixin, WagtailPasswordResetForm):
    """The admin's reset request (WAGTAILADMIN_USER_PASSWORD_RESET_FORM). Wagtail gives the form no request
    before saving, so once a limit is spent it answers "sent" as for an unknown address, and sends nothing."""

    def save(self, *args, request=None, **kwargs):
        try:
            signin_limits.count_password_reset(request, self.cleaned_data["email"])
        except signin_limits.LimitReached:
            logger.warning("Admin password reset request refused: the limit for the address or e-mail is spent.")
            return
        super().save(*args, request=request, **kwargs)
