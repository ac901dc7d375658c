"""Wagtail admin: administrators give and take roles. Lists of people stay in Renfort's own
scoped pages, not here."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic

from associations.models import RoleAssignment
from associations.services import role_assign, role_revoke


class RoleAssignmentCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return role_assign(
            user=data["user"],
            role=data["role"],
            territory=data.get("territory"),
            organisation=data.get("organisation"),
        )


class RoleAssignmentEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        with transaction.atomic():
            role_revoke(assignment=RoleAssignment.objects.get(pk=self.object.pk))
            return role_assign(
                user=data["user"],
                role=data["role"],
                territory=data.get("territory"),
                organisation=data.get("organisation"),
            )


class RoleAssignmentDeleteView(generic.DeleteView):
    def delete_action(self):
        role_revoke(assignment=self.object)


class RoleAssignmentViewSet(ModelViewSet):
    model = RoleAssignment
    icon = "key"
    menu_label = _("Roles")
    add_to_settings_menu = True
    form_fields = ["user", "role", "territory", "organisation"]
    list_display = ["user", "role", "territory", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name"]
    add_view_class = RoleAssignmentCreateView
    edit_view_class = RoleAssignmentEditView
    delete_view_class = RoleAssignmentDeleteView
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_role_assignment_viewset():
    return RoleAssignmentViewSet("role_assignments")
