"""The question bank of knowledge tests in the admin: academy admins manage it, trainers view, add and change."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("question", "choice")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins, _created = Group.objects.get_or_create(name="Academy admins")
    trainers, _created = Group.objects.get_or_create(name="Trainers")
    codenames = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]
    admins.permissions.add(*Permission.objects.filter(content_type__app_label="courses", codename__in=codenames))
    trainer_codenames = [name for name in codenames if not name.startswith("delete_")]
    trainers.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=trainer_codenames)
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0013_knowledge_tests")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
