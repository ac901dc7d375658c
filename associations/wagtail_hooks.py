"""Wagtail admin: administrators give and take roles. Lists of people stay in Renfort's own
scoped pages, not here."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from associations.models import RoleAssignment
from associations.services import role_assign, role_revoke


def assign_from_form(form):
    data = form.cleaned_data
    return role_assign(
        user=data["user"],
        role=data["role"],
        territory=data.get("territory"),
        organisation=data.get("organisation"),
    )


class RoleAssignmentCreateView(generic.CreateView):
    def save_instance(self):
        return assign_from_form(self.form)


class RoleAssignmentEditView(generic.EditView):
    @transaction.atomic
    def save_instance(self):
        role_revoke(assignment=RoleAssignment.objects.get(pk=self.object.pk))
        return assign_from_form(self.form)


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


@hooks.register("courses_can_read_programme")
def enrolled_in_programme(user, programme):
    """A user reads a programme (in any of its languages) when their person is enrolled in a
    cohort of it."""
    from associations.models import Enrolment

    return Enrolment.objects.filter(
        person__user=user, cohort__programme__translation_key=programme.translation_key
    ).exists()
