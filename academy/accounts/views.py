from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.views import account as wagtail_account

from academy.accounts.forms import EmailAuthenticationForm, SitePasswordResetForm
from academy.errors import DomainError
from academy.forms import ProfileForm, SignupForm
from academy.models import Profile
from academy.services import accounts, signin_limits
from academy.services.messaging import telegram


def _safe_next(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return _limited(super().form_invalid(form), form)


class LogoutView(auth_views.LogoutView):
    pass


def _limited(response, form):
    """A form refused by a sign-in limit answers 429 Too Many Requests, with the message saying until when."""
    error = getattr(form, "limit_reached", None)
    if error is not None:
        response.status_code = 429
        response["Retry-After"] = str(error.retry_after)
    return response


def _count_signup(request, form):
    try:
        signin_limits.count_signup(request, form.cleaned_data["email"] or form.cleaned_data.get("phone") or "")
    except signin_limits.LimitReached as error:
        form.limit_reached = error
        form.add_error(None, str(error))
        return False
    return True


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("account_profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _count_signup(request, form):
        data = dict(form.cleaned_data)
        organization_name = data.pop("organization_name", "")
        data["organization"] = accounts.organization_for(
            organization_name, data.get("organization_kind") or "other", data.get("municipality")
        )
        try:
            user = accounts.sign_up_participant(
                email=data.pop("email"), password=data.pop("password"), consent=data.pop("consent"), profile=data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            login(request, user)
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(_safe_next(request) or "my_trainings")
    context = {"form": form, "next": _safe_next(request) or "", "password_rules": form.password_rules()}
    response = render(request, "accounts/signup.html", context)
    return _limited(response, form)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    needs_consent = not instance.consent_given_at
    if request.method == "POST" and form.is_valid():
        consent = request.POST.get("consent") == "on"
        if needs_consent and not consent:
            form.add_error(None, _("You must agree to the processing of your personal data."))
        else:
            data = dict(form.cleaned_data)
            organization_name = data.pop("organization_name", "")
            data["organization"] = accounts.organization_for(
                organization_name, data.get("organization_kind") or "other", data.get("municipality")
            )
            try:
                accounts.update_profile(request.user, consent=consent, **data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect(_safe_next(request) or "account_profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "needs_consent": needs_consent,
            "telegram_available": telegram.is_configured() and bool(settings.TELEGRAM_BOT_USERNAME),
            "telegram_linked_at": instance.telegram_linked_at if instance.telegram_chat_id else None,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Limited per address and per e-mail; the e-mail goes through the outbox (SitePasswordResetForm)."""

    form_class = SitePasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        return _limited(super().form_invalid(form), form)


class ResetLinkLimitMixin:
    """For a PasswordResetConfirmView: a wrong or spent link counts as a wrong password for the account it names,
    under the same limit; while that account is paused no link is checked. Setting the new password (which ends
    the person's sessions and API tokens, see academy.signals) clears the earlier wrong guesses."""

    def dispatch(self, *args, **kwargs):
        account = self.get_user(kwargs["uidb64"])
        if account is not None:
            try:
                signin_limits.check_signin(self.request, account.email)
            except signin_limits.LimitReached as error:
                self.user, self.validlink = account, False
                context = self.get_context_data(form=None, limit_message=str(error))
                response = self.render_to_response(context, status=429)
                response["Retry-After"] = str(error.retry_after)
                return response
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:  # the "link no longer valid" page
            signin_limits.record_failure(self.request, account.email if account else kwargs["uidb64"])
        return response

    def form_valid(self, form):
        signin_limits.forget_failures(self.user.email)
        return super().form_valid(form)


class PasswordResetConfirmView(ResetLinkLimitMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class AdminPasswordResetConfirmView(ResetLinkLimitMixin, wagtail_account.PasswordResetConfirmView):
    """Wagtail's reset link page under the same limit; academy/urls.py routes its address here."""

    template_name = "accounts/admin_password_reset_confirm.html"


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
admin_password_reset_confirm = AdminPasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
