from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_from_path, override
from django.views.i18n import set_language as django_set_language

from assessments.survey_selectors import surveys_to_answer
from associations.models import RoleAssignment
from associations.scope import grants_for, is_coordinator, is_trainer
from associations.selectors import (
    cohorts_for,
    coordinated_territories,
    organisations_for,
    participant_overview,
)


def healthz(request):
    """Liveness for load balancers: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


def set_language(request):
    """Django's language switch, reading ``next`` in the language its path is in: the switch
    lives outside the language prefixes, so otherwise ``/ar/`` would become ``/en/ar/``."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    with override(get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return django_set_language(request)


@login_required
def dashboard(request):
    """The landing page after login: one section per role the user holds."""
    user = request.user
    grants = grants_for(user)
    context = {"grants": grants}
    if grants.everything:
        # The admin's own menu label for the role screen (the viewset takes the model's name).
        context["role_assignments_label"] = capfirst(RoleAssignment._meta.verbose_name_plural)
    if is_coordinator(user):
        context["territories"] = coordinated_territories(user)
    if is_trainer(user):
        context["my_cohorts"] = with_cohort_urls(cohorts_for(user).filter(facilitators=user))
    if grants.organisation_ids:
        context["my_organisations"] = organisations_for(user).filter(pk__in=grants.organisation_ids)
    if grants.person_ids:
        person = user.person
        context["me"] = person
        context["my_enrolments"] = person.enrolments.select_related("cohort", "organisation")
        context["my_overview"] = participant_overview(person)
        context["my_surveys"] = list(surveys_to_answer(user, timezone.localdate()))
    context["has_role"] = not grants.is_empty
    return render(request, "renfort/dashboard.html", context)


def with_cohort_urls(cohorts):
    """The cohorts, each with ``url``: its own page where one exists (the cohorts branch adds
    ``associations:cohort_detail``), else the cohort list."""
    cohorts = list(cohorts)
    for cohort in cohorts:
        try:
            cohort.url = reverse("associations:cohort_detail", args=[cohort.pk])
        except NoReverseMatch:
            cohort.url = reverse("associations:cohort_list")
    return cohorts
