from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTICIPANTS = "Participants"
TRAINERS = "Trainers"
ACADEMY_ADMINS = "Academy admins"

ADMIN_CODENAMES = [
    ("academy", "add_fundingproject"),
    ("academy", "change_fundingproject"),
    ("academy", "delete_fundingproject"),
    ("academy", "view_fundingproject"),
    ("academy", "add_organization"),
    ("academy", "change_organization"),
    ("academy", "view_organization"),
    ("academy", "view_user"),
    ("academy", "change_user"),
    ("academy", "add_user"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    Group.objects.get_or_create(name=PARTICIPANTS)
    trainers, _ = Group.objects.get_or_create(name=TRAINERS)
    admins, _ = Group.objects.get_or_create(name=ACADEMY_ADMINS)
    if access_admin:
        trainers.permissions.add(access_admin)
        admins.permissions.add(access_admin)
    for app_label, codename in ADMIN_CODENAMES:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission:
            admins.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
