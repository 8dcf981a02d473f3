import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.users.models import UserProfile

from academy.models import Profile, User
from academy.roles import ACADEMY_ADMINS


class Command(BaseCommand):
    help = (
        "Create the academy admin (ACADEMY_ADMIN_EMAIL) if missing. The password comes from "
        "ACADEMY_ADMIN_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default=None)

    @transaction.atomic
    def handle(self, *args, **options):
        import os

        email = (options["email"] or settings.ACADEMY_ADMIN_EMAIL).lower()
        password = os.environ.get("ACADEMY_ADMIN_PASSWORD", "")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            user = User.objects.create_superuser(
                email=email, password=password, first_name="Academy", last_name="Admin"
            )
            Profile.objects.get_or_create(
                user=user, defaults={"full_name": "Академия администратору", "preferred_language": "ru"}
            )
            user.groups.add(Group.objects.get_or_create(name=ACADEMY_ADMINS)[0])
            # The Wagtail admin has no Kyrgyz translation; staff read it in Russian by default.
            admin_profile = UserProfile.get_for_user(user)
            admin_profile.preferred_language = "ru"
            admin_profile.save(update_fields=["preferred_language"])
            self.stdout.write(self.style.SUCCESS(f"Created the admin {email}."))
            if generated:
                self.stdout.write(self.style.WARNING(f"Its password, shown only this once: {password}"))
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Updated the password of {email} from ACADEMY_ADMIN_PASSWORD.")
        else:
            self.stdout.write(f"The admin {email} already exists.")
