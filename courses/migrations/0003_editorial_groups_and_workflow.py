"""Who writes and who publishes: trainers (« Formateurs ») add and edit pages and submit them
for moderation; coordinators (« Coordonnateurs ») and a content-lead group (« Responsables de
contenu », Wagtail's former "Moderators") approve and publish through one workflow. Wagtail's
default "Editors" group is removed. Groups are found or made by name (associations'
``role_group_ensure`` uses the same names); permissions sit on the root page so they cover
every locale's tree."""

from django.db import migrations

TRAINERS = "Formateurs"
COORDINATORS = "Coordonnateurs"
CONTENT_LEADS = "Responsables de contenu"
WORKFLOW_NAME = "Validation des contenus"
TASK_NAME = "Approbation par un coordonnateur ou un responsable de contenu"

PAGE_PERMISSIONS = {
    TRAINERS: ["add_page", "change_page"],
    COORDINATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    CONTENT_LEADS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def set_up(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    Group.objects.filter(name="Editors").delete()
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None and not Group.objects.filter(name=CONTENT_LEADS).exists():
        moderators.name = CONTENT_LEADS
        moderators.save(update_fields=["name"])

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root = Page.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
        if root is None:
            continue
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        workflow_page = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
        existing = (
            WorkflowTask.objects.filter(workflow=workflow_page.workflow).order_by("sort_order")
            if workflow_page
            else WorkflowTask.objects.none()
        )
        task_ids = existing.values_list("task_id", flat=True)
        task = GroupApprovalTask.objects.filter(pk__in=list(task_ids)).first()
        if task is None:
            content_type, _ = ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )
            task = GroupApprovalTask.objects.create(
                name=TASK_NAME, content_type=content_type, active=True
            )
        task.name = TASK_NAME
        task.active = True
        task.save()
        if workflow_page is not None:
            workflow = workflow_page.workflow
        else:
            workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
            if root is not None:
                WorkflowPage.objects.create(workflow=workflow, page=root)
        workflow.name = WORKFLOW_NAME
        workflow.active = True
        workflow.save()
        if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    task.groups.set([groups[COORDINATORS], groups[CONTENT_LEADS]])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_lesson_blocks_and_completion"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
