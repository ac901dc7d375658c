"""Reads of the associations app, always through the user's scope."""

from django.db.models import Count, Q

from associations.models import Cohort, Enrolment, Organisation, Person, Territory
from associations.scope import grants_for, in_territory, visible_to


def organisations_for(user):
    """Organisations ``user`` may see, with their territory, in name order."""
    return visible_to(user, Organisation.objects.select_related("territory")).order_by("name")


def organisation_if_visible(user, organisation_id):
    """The organisation ``organisation_id`` if ``user`` may see it, else ``None``."""
    if organisation_id is None:
        return None
    return organisations_for(user).filter(pk=organisation_id).first()


def people_for(user):
    """People ``user`` may see, with their organisation."""
    return visible_to(user, Person.objects.select_related("organisation"))


def cohorts_for(user):
    """Cohorts ``user`` may see, with their territory and how many of their enrolments ``user``
    may see (a focal point counts their own people, not the whole cohort), in one query."""
    visible_enrolments = visible_to(user, Enrolment.objects.all()).values("pk")
    cohorts = Cohort.objects.select_related("territory").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__in=visible_enrolments))
    )
    return visible_to(user, cohorts).order_by("-start_date", "code")


def coordinated_territories(user):
    """The territory nodes a coordinator is attached to, each with how many organisations,
    people and cohorts lie in it and below."""
    paths = grants_for(user).territory_paths
    territories = list(Territory.objects.filter(path__in=paths).order_by("path"))
    for territory in territories:
        territory.organisations_count = in_territory(Organisation.objects.all(), territory).count()
        territory.people_count = in_territory(Person.objects.all(), territory).count()
        territory.cohorts_count = in_territory(Cohort.objects.all(), territory).count()
    return territories
