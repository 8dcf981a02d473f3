"""Sign-in and password reset forms of the site and the Wagtail admin, under the sign-in limits.

The password itself is checked by academy.auth_backends.SigninLimitedBackend; these forms show the pause
before checking anything, and send the reset e-mail through the outbox, so it survives an SMTP outage.
"""

import logging

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from academy.services import messaging, notifications, signin_limits
from academy.validators import looks_like_phone, normalize_phone

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
    """Sign in with the e-mail address or the mobile number of the account."""

    username = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail or mobile number, or the password, is not correct."),
    }


class AdminLoginForm(SigninLimitedFormMixin, WagtailLoginForm):
    """The Wagtail admin's login (WAGTAILADMIN_USER_LOGIN_FORM)."""


class OutboxResetMailMixin:
    """Django renders the reset e-mail; the outbox stores and sends it (retried while SMTP is down). People
    without an e-mail address get the link by Telegram or SMS (academy.services.messaging)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        user = context["user"]
        if not messaging.has_deliverable_email(user):
            path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
            messaging.deliver(
                user=user,
                key=f"password-reset:{user.pk}:{context['token']}",
                template="password_reset",
                context={**context, "url": f"{context['protocol']}://{context['domain']}{path}"},
            )
            return
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
    """The site's reset request, by e-mail address or mobile number: limited per address and per account, with a
    message saying until when."""

    email = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    limit_reached = None

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        if looks_like_phone(value):
            return normalize_phone(value)
        forms.EmailField().clean(value)  # a translated "Enter a valid email address." for anything else
        return value

    def get_users(self, email):
        if not email.startswith("+"):
            return super().get_users(email)
        # A phone account may never have had a password (imported people): the link lets them set one.
        return get_user_model()._default_manager.filter(profile__phone=email, is_active=True)

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
