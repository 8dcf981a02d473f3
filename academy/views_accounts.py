from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.errors import DomainError
from academy.forms import EmailAuthenticationForm, ProfileForm, SignupForm
from academy.models import Profile
from academy.services import accounts
from academy.throttling import throttle


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

    def post(self, request, *args, **kwargs):
        if not throttle(request, "login", limit=10, window=60):
            form = self.get_form()
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("account_profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(_safe_next(request) or "my_trainings")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request) or ""})


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
    return render(request, "accounts/profile.html", {"form": form, "needs_consent": needs_consent})


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="emails/password_reset.txt",
    html_email_template_name="emails/password_reset.html",
    subject_template_name="emails/password_reset_subject.txt",
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
