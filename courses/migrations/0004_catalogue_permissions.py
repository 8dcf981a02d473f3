"""Admin permissions for scheduling.

Trainers schedule sessions (view/add/change; the admin limits them to the sessions they train),
see venues, keep their own trainer profile and upload a photo. Academy admins get every
permission of the courses app, the page tree (to run the catalogue pages) and images.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINERS = "Trainers"
ACADEMY_ADMINS = "Academy admins"

TRAINER_CODENAMES = [
    "view_session",
    "add_session",
    "change_session",
    "view_agendaitem",
    "add_agendaitem",
    "change_agendaitem",
    "delete_agendaitem",
    "view_venue",
    "view_trainerprofile",
    "add_trainerprofile",
    "change_trainerprofile",
]
TRAINER_IMAGE_CODENAMES = ["add_image", "choose_image"]
ADMIN_IMAGE_CODENAMES = ["add_image", "change_image", "choose_image", "delete_image"]
ADMIN_PAGE_CODENAMES = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers, _created = Group.objects.get_or_create(name=TRAINERS)
    admins, _created = Group.objects.get_or_create(name=ACADEMY_ADMINS)

    trainers.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=TRAINER_CODENAMES)
    )
    admins.permissions.add(*Permission.objects.filter(content_type__app_label="courses"))

    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for group, codenames in ((trainers, TRAINER_IMAGE_CODENAMES), (admins, ADMIN_IMAGE_CODENAMES)):
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailimages", codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )

    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=ADMIN_PAGE_CODENAMES
        ):
            GroupPagePermission.objects.get_or_create(group=admins, page=root_page, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_attendance_private_files"),
        ("academy", "0002_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
