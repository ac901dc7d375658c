"""Trainers, coordinators and content leads may copy pages for translation (Wagtail's
simple_translation); the copies are drafts that go through the same moderation workflow."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Formateurs", "Coordonnateurs", "Responsables de contenu")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("simple_translation")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permission = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_editorial_groups_and_workflow"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
