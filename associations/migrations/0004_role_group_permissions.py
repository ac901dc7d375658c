"""Give the existing « Coordonnateurs » and « Formateurs » groups the model permissions of the
registry, cohorts and attendance (new groups get them from ``role_group_ensure``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Coordonnateurs": [
        f"{action}_{model}"
        for model in (
            "organisation",
            "person",
            "cohort",
            "session",
            "enrolment",
            "cohortorganisation",
            "outsidefacilitator",
            "attendance",
        )
        for action in ("add", "change", "delete", "view")
    ]
    + ["view_territory", "view_domain"],
    "Formateurs": [
        "view_cohort",
        "add_session",
        "change_session",
        "view_session",
        "add_attendance",
        "change_attendance",
        "view_attendance",
    ],
}


def grant(apps, schema_editor):
    # Permissions are made after migrate (post_migrate): make this app's now, on a fresh database.
    app_config = apps.get_app_config("associations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="associations", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_cohorts_sessions_attendance"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
