from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from associations.models import Territory
from associations.scope import get_visible_or_404, in_territory, visible_to
from associations.selectors import (
    cohorts_for,
    organisation_if_visible,
    organisations_for,
    people_for,
)

PAGE_SIZE = 50


def in_requested_territory(request, queryset):
    """``queryset`` (already scoped) narrowed to ``?territory=<code>`` and below, if asked; the
    landing page's counts link here. Returns the queryset and the territory (or None)."""
    code = request.GET.get("territory", "").strip()
    if not code:
        return queryset, None
    territory = get_object_or_404(Territory, code=code)
    return in_territory(queryset, territory), territory


@login_required
def organisation_list(request):
    organisations, territory = in_requested_territory(request, organisations_for(request.user))
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "associations/organisation_list.html",
        {"page_obj": page, "query": query, "territory": territory},
    )


@login_required
def organisation_detail(request, pk):
    organisation = get_visible_or_404(request.user, organisations_for(request.user), pk=pk)
    people = people_for(request.user).filter(organisation=organisation)
    return render(
        request,
        "associations/organisation_detail.html",
        {"organisation": organisation, "people": people},
    )


@login_required
def person_list(request):
    people, territory = in_requested_territory(request, people_for(request.user))
    people = people.order_by("last_name", "first_name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "associations/person_list.html", {"page_obj": page, "territory": territory}
    )


@login_required
def person_detail(request, pk):
    person = get_visible_or_404(request.user, people_for(request.user), pk=pk)
    enrolments = visible_to(
        request.user, person.enrolments.select_related("cohort", "organisation")
    )
    # A person may have moved to an organisation outside the viewer's scope since enrolling.
    organisation = organisation_if_visible(request.user, person.organisation_id)
    return render(
        request,
        "associations/person_detail.html",
        {"person": person, "organisation": organisation, "enrolments": enrolments},
    )


@login_required
def cohort_list(request):
    cohorts, territory = in_requested_territory(request, cohorts_for(request.user))
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "associations/cohort_list.html", {"page_obj": page, "territory": territory}
    )
