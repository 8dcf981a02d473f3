from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from academy.models import Municipality, Profile
from academy.validators import normalize_phone

# Instead of Django's "---------": a choice a person can read, in their language.
EMPTY_CHOICE_LABELS = {
    "gender": _("Prefer not to say"),
    "organization_kind": _("Choose the kind of organisation"),
}


class ProfileForm(forms.ModelForm):
    organization_name = forms.CharField(label=_("Organisation"), max_length=255, required=False)

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "full_name_latin",
            "gender",
            "year_of_birth",
            "position",
            "organization_kind",
            "municipality",
            "phone",
            "preferred_language",
            "has_disability",
            "notify_by_telegram",
            "notify_by_email",
            "notify_by_sms",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "placeholder": "+996 555 123 456", "autocomplete": "tel"})
        }

    def __init__(self, *args, **kwargs):
        if args and args[0] is not None and args[0].get("phone"):
            data = args[0].copy()
            data["phone"] = normalize_phone(data["phone"])
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.select_related("district")
        self.fields["municipality"].empty_label = _("Choose your municipality")
        for name, empty_label in EMPTY_CHOICE_LABELS.items():
            field = self.fields[name]
            field.choices = [("", empty_label), *[choice for choice in field.choices if choice[0] != ""]]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        if self.instance and self.instance.organization_id:
            self.fields["organization_name"].initial = self.instance.organization.name


class SignupForm(ProfileForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("No e-mail? Leave it empty and give your mobile number below: you will sign in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for training and reporting purposes."), required=True
    )

    field_order = ["email", "password", "full_name", "full_name_latin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["aria-describedby"] = "id_password_rules"  # _password_rules.html

    def password_rules(self):
        """The password validators' rules in the reader's language, with what the browser can check as one types
        (static/js/password-rules.js): a minimum length, not only digits. The others are checked on submit."""
        rules = []
        for validator in password_validation.get_default_password_validators():
            name = type(validator).__name__
            check = {}
            if name == "MinimumLengthValidator":
                check = {"rule": "min-length", "min": validator.min_length}
            elif name == "NumericPasswordValidator":
                check = {"rule": "not-numeric"}
            rules.append({"text": validator.get_help_text(), **check})
        return rules
