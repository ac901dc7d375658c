"""Trainers and coordinators author knowledge tests in the Wagtail admin (Snippets)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Formateurs", "Coordonnateurs")
CODENAMES = ("add_quiz", "change_quiz", "delete_quiz", "view_quiz")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="assessments", codename__in=CODENAMES
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_quizzes_tests"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
