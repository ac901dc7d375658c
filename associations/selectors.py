"""Reads of the associations app, always through the user's scope."""

from django.db.models import Count

from associations.models import Cohort, Organisation, Person, Territory
from associations.scope import grants_for, visible_to


def organisations_for(user):
    """Organisations ``user`` may see, with their territory, in name order."""
    return visible_to(user, Organisation.objects.select_related("territory")).order_by("name")


def people_for(user):
    """People ``user`` may see, with their organisation."""
    return visible_to(user, Person.objects.select_related("organisation"))


def cohorts_for(user):
    """Cohorts ``user`` may see, with their territory and enrolment count."""
    cohorts = Cohort.objects.select_related("territory").annotate(enrolled=Count("enrolments"))
    return visible_to(user, cohorts).order_by("-start_date", "code")


def coordinated_territories(user):
    """The territory nodes a coordinator is attached to, each with how many organisations,
    people and cohorts lie in it and below."""
    paths = grants_for(user).territory_paths
    territories = list(Territory.objects.filter(path__in=paths).order_by("path"))
    for territory in territories:
        below = {"territory__path__startswith": territory.path}
        territory.organisations_count = Organisation.objects.filter(**below).count()
        territory.people_count = Person.objects.filter(
            organisation__territory__path__startswith=territory.path
        ).count()
        territory.cohorts_count = Cohort.objects.filter(**below).count()
    return territories
