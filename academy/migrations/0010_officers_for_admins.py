from django.contrib.auth.management import create_permissions
from django.db import migrations


def let_admins_assign_officers(apps, schema_editor):
    app_config = apps.get_app_config("academy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins = Group.objects.filter(name="Academy admins").first()
    if admins:
        admins.permissions.add(
            *Permission.objects.filter(content_type__app_label="academy", codename__endswith="_municipalityofficer")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0009_municipality_officers"),
    ]

    operations = [migrations.RunPython(let_admins_assign_officers, migrations.RunPython.noop)]
