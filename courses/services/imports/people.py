"""Rows to people: match each checked row to an account or mark it new, in bulk queries; nothing is written."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from academy.models import Profile, User
from academy.validators import validate_kyrgyz_mobile
from courses.models import Registration
from courses.services import import_matching as matching
from courses.services.imports.mapping import check_mapping
from courses.services.imports.rows import clean_row, municipality_index


def _conflict(row, user, reason):
    row.action, row.candidate, row.conflict = "conflict", user, reason


def _resolve_people(rows, resolutions=None):
    """Match rows to accounts (see import_matching for the rules); two bulk queries whatever the number of rows.

    `resolutions` is {row number: "existing" | "new" | "skip"}, the organiser's choice for conflicting rows.
    """
    resolutions = resolutions or {}
    emails = {row.values["email"] for row in rows if row.values.get("email")}
    phones = {row.values["phone"] for row in rows if row.values.get("phone")}
    users_by_email = {user.email: user for user in User.objects.filter(email__in=emails).select_related("profile")}
    users_by_phone = {}
    for profile in Profile.objects.filter(phone__in=phones).select_related("user"):
        users_by_phone.setdefault(profile.phone, []).append(profile.user)
    first_row_of = {}
    for row in rows:
        if row.errors:
            continue
        email, phone, name = row.values.get("email"), row.values.get("phone"), row.values["full_name"]
        phone_users = users_by_phone.get(phone, []) if phone else []
        user = users_by_email.get(email) if email else None
        if user is not None:
            if phone_users and user not in phone_users:
                row.warnings.append(_("The phone number belongs to another account; matched by e-mail."))
            if name and not matching.names_agree(name, matching.account_name(user)):
                _conflict(row, user, _("The e-mail address belongs to an account with another name."))
        elif phone_users:
            if len(phone_users) > 1:
                row.errors.append(_("Several accounts have this phone number; add the e-mail address to the list."))
                continue
            if email:
                _conflict(
                    row, phone_users[0], _("The e-mail address has no account, but the phone number belongs to one.")
                )
            elif not name or not matching.names_agree(name, matching.account_name(phone_users[0])):
                _conflict(row, phone_users[0], _("The phone number belongs to an account with another name."))
            else:
                user = phone_users[0]
        if row.action == "conflict":
            choice = resolutions.get(row.number)
            if choice == "existing":
                user = row.candidate
            elif choice == "new":
                if not email or email in users_by_email:
                    row.errors.append(_("A new person needs an e-mail address that no account uses."))
                    continue
                user = None
                if phone_users:
                    row.values["phone"] = ""
                    row.warnings.append(_("The phone number stays with the existing account; the new person has none."))
            elif choice == "skip":
                row.action = "skip"
                continue
            else:
                continue  # unresolved: shown to the organiser, never imported
        if user is None and not email:
            if not row.values.get("phone"):
                row.errors.append(
                    _("A new person needs an e-mail address or a Kyrgyz mobile number that no account uses.")
                )
                continue
            try:
                # A phone-only account signs in with its number and gets its messages by SMS: a landline cannot.
                validate_kyrgyz_mobile(row.values["phone"])
            except ValidationError as error:
                row.errors.append(
                    _("A new person without an e-mail address needs a mobile number: %(reason)s")
                    % {"reason": " ".join(error.messages)}
                )
                continue
        if user is None and not name:
            row.errors.append(_("The full name is missing."))
            continue
        row.user = user
        row.identity = f"user:{user.pk}" if user else (f"email:{email}" if email else f"phone:{row.values['phone']}")
        # A new account takes its number: a later new row with that number would break "one number, one account".
        new_phone = f"phone:{row.values['phone']}" if user is None and row.values.get("phone") else None
        if row.identity in first_row_of:
            row.errors.append(SAME_AS[row.identity.split(":")[0]]() % {"number": first_row_of[row.identity]})
        elif new_phone in first_row_of:
            row.errors.append(
                _("The phone number is already in row %(number)s: one number belongs to one person only.")
                % {"number": first_row_of[new_phone]}
            )
        if row.errors:
            row.user = None
            row.action = ""
            continue
        first_row_of[row.identity] = row.number
        if new_phone:
            first_row_of[new_phone] = row.number
        row.action = "match" if user else "create"


# What makes two rows the same person, said in the message so the organiser knows which cell to look at.
SAME_AS = {
    "user": lambda: _("The same person as in row %(number)s: both rows match the same account."),
    "email": lambda: _("The same person as in row %(number)s: the same e-mail address."),
    "phone": lambda: _("The same person as in row %(number)s: the same phone number."),
}


def check_rows(session, table, mapping, resolutions=None):
    """Clean every row and match people, without writing anything."""
    mapping = check_mapping(mapping, table.headers)
    municipalities = municipality_index()
    rows = [clean_row(number, cells, mapping, municipalities) for number, cells in table.rows]
    _resolve_people(rows, resolutions)
    matched_ids = [row.user.pk for row in rows if row.user is not None]
    existing = dict(
        Registration.objects.filter(session=session, user_id__in=matched_ids).values_list("user_id", "status")
    )
    for row in rows:
        if row.user is not None and row.user.pk in existing:
            row.action = "already"
            row.status = existing[row.user.pk]
    return rows
