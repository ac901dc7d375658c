from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from associations.scope import grants_for, is_coordinator, is_trainer
from associations.selectors import cohorts_for, coordinated_territories, organisations_for


def healthz(request):
    """Liveness for load balancers: no database, no session, no template."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def dashboard(request):
    """The landing page after login: one section per role the user holds."""
    user = request.user
    grants = grants_for(user)
    context = {"grants": grants}
    if is_coordinator(user):
        context["territories"] = coordinated_territories(user)
    if is_trainer(user):
        context["my_cohorts"] = cohorts_for(user).filter(facilitators=user)
    if grants.organisation_ids:
        context["my_organisations"] = organisations_for(user).filter(pk__in=grants.organisation_ids)
    if grants.person_ids:
        person = user.person
        context["me"] = person
        context["my_enrolments"] = person.enrolments.select_related("cohort", "organisation")
    context["has_role"] = len(context) > 1 or grants.everything
    return render(request, "renfort/dashboard.html", context)
