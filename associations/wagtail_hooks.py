"""Wagtail admin: administrators give and take roles. Lists of people stay in Renfort's own
scoped pages, not here."""

from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from associations.admin_views import CHOOSER_VIEWSETS, InvitationView, RegistryViewSetGroup
from associations.models import RoleAssignment
from associations.scope import is_coordinator
from associations.selectors import in_person_followed_module_ids
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


@hooks.register("courses_modules_followed")
def modules_followed_in_person(user, module_ids):
    """The in-person half of "module followed": covered in a session the user attended."""
    return in_person_followed_module_ids(user, module_ids)


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    """Organisations, people, cohorts, sessions, territories: scoped listings and choosers."""
    return [RegistryViewSetGroup(), *CHOOSER_VIEWSETS]


@hooks.register("register_admin_urls")
def register_invitation_url():
    return [path("registre/invitations/", InvitationView.as_view(), name="associations_invite")]


class InvitationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user) or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_invitation_menu_item():
    return InvitationMenuItem(
        _("Invite by e-mail"), reverse("associations_invite"), icon_name="mail", order=210
    )


@hooks.register("courses_can_read_programme")
def enrolled_in_programme(user, programme):
    """A user reads a programme (in any of its languages) when their person is enrolled in a
    cohort of it."""
    from associations.models import Enrolment

    return Enrolment.objects.filter(
        person__user=user, cohort__programme__translation_key=programme.translation_key
    ).exists()
