"""Wagtail admin: coordinators and administrators manage diagnostic frameworks as spreadsheets.

The simple path, chosen over nested inline editing: a framework is downloaded as XLSX, adapted
in a spreadsheet and uploaded again. The upload goes through ``framework_save_data``, so a
framework that diagnostics already use gets a new version instead of being changed."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ProtectedError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from assessments.models import Framework, Questionnaire, Quiz
from assessments.services import framework_import_spreadsheet
from associations.scope import grants_for

ACTIONS = {
    "created": gettext_lazy("Framework %(name)s created (version %(version)s)."),
    "updated": gettext_lazy("Framework %(name)s updated (version %(version)s, not used yet)."),
    "new_version": gettext_lazy(
        "Framework %(name)s is used by diagnostics: version %(version)s was created."
    ),
    "unchanged": gettext_lazy("Nothing changed in %(name)s (version %(version)s)."),
}


def may_manage_frameworks(user):
    grants = grants_for(user)
    return grants.everything or bool(grants.territory_paths)


def frameworks_admin(request):
    if not may_manage_frameworks(request.user):
        raise PermissionDenied
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose an XLSX file."))
            framework, action = framework_import_spreadsheet(content=upload.read())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ACTIONS[action] % {"name": framework.label, "version": framework.version},
            )
        return redirect("assessments_frameworks")
    frameworks = Framework.objects.annotate(
        dimension_count=Count("dimensions", distinct=True),
        diagnostic_count=Count("diagnostics", distinct=True),
    ).order_by("code", "-version")
    return TemplateResponse(
        request,
        "assessments/admin/frameworks.html",
        {"frameworks": frameworks, "header_title": _("Diagnostic frameworks")},
    )


@hooks.register("register_admin_urls")
def register_frameworks_url():
    return [path("diagnostics/cadres/", frameworks_admin, name="assessments_frameworks")]


class FrameworksMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_frameworks(request.user)


@hooks.register("register_admin_menu_item")
def register_frameworks_menu_item():
    return FrameworksMenuItem(
        gettext_lazy("Diagnostic frameworks"),
        reverse("assessments_frameworks"),
        icon_name="list-ul",
        order=900,
    )


# Knowledge tests ----------------------------------------------------------------------------


class QuizViewSet(SnippetViewSet):
    """Trainers and coordinators write a module's tests here; « Traduire » copies one to Arabic
    or English with the same question ids, so answers in any language score alike."""

    model = Quiz
    icon = "tasks"
    menu_label = gettext_lazy("Knowledge tests")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "module", "kind", "locale", "closes_at"]
    list_filter = ["kind", "locale"]
    search_fields = ["title"]
    copy_view_enabled = False


register_snippet(QuizViewSet)


@hooks.register("associations_cohort_sections")
def quizzes_cohort_section(request, cohort):
    from assessments.quiz_views import cohort_section

    return cohort_section(request, cohort)


@hooks.register("associations_cohort_sections")
def cohort_surveys_section(request, cohort):
    """The satisfaction surveys of the cohort, on its page."""
    from assessments.survey_views import cohort_section

    return cohort_section(request, cohort)


class QuestionnairePermissionPolicy(ModelPermissionPolicy):
    """Coordinators and administrators edit the satisfaction questionnaires (shared reference
    texts, like the diagnostic frameworks); a questionnaire used by a survey is not deleted."""

    def user_has_permission(self, user, action):
        if not (user.is_active and may_manage_frameworks(user)):
            return False
        return action in ("add", "change", "view", "delete")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


class QuestionnaireEditView(generic.EditView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            self.produced_error_message = _(
                "A question that surveys already have answers for cannot be removed. "
                "Create a new questionnaire for the next surveys instead."
            )
            form.add_error(None, self.produced_error_message)
            return self.form_invalid(form)


class QuestionnaireDeleteView(generic.DeleteView):
    """A questionnaire that surveys use stays: they keep their questions and answers."""

    def dispatch(self, request, *args, **kwargs):
        if Questionnaire.objects.filter(pk=kwargs.get("pk"), surveys__isnull=False).exists():
            messages.error(
                request,
                _("This questionnaire is used by surveys: it cannot be deleted."),
            )
            return redirect("survey_questionnaires:index")
        return super().dispatch(request, *args, **kwargs)


class QuestionnaireViewSet(ModelViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Satisfaction questionnaires")
    menu_order = 910
    add_to_admin_menu = True
    list_display = ["__str__", "is_default"]
    copy_view_enabled = False
    edit_view_class = QuestionnaireEditView
    delete_view_class = QuestionnaireDeleteView


register_permission_policy(Questionnaire, QuestionnairePermissionPolicy(Questionnaire))


@hooks.register("register_admin_viewset")
def register_questionnaire_viewset():
    return QuestionnaireViewSet("survey_questionnaires")


@hooks.register("associations_sheet_kinds")
def quiz_sheet_kinds():
    """The filled paper grid of a test imports through the spreadsheet pipeline."""
    from assessments.quiz_sheets import KIND, QUIZ_RESULTS_KIND

    return {KIND: QUIZ_RESULTS_KIND}
