"""factory_boy factories for every model; tests build exactly the world they describe."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from associations.models import (
    Attendance,
    Cohort,
    CohortOrganisation,
    Domain,
    Enrolment,
    Organisation,
    OutsideFacilitator,
    Person,
    Role,
    Session,
    Territory,
)
from associations.services import role_assign

PASSWORD = "Mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users log in with a verified address unless a test asks otherwise."""
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def territory_root(name, code, kind=Territory.Kind.COUNTRY):
    existing = Territory.objects.filter(code=code).first()
    return existing or Territory.add_root(name=name, code=code, kind=kind)


def territory_child(parent, name, code, kind):
    existing = Territory.objects.filter(code=code).first()
    return existing or parent.add_child(name=name, code=code, kind=kind)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association Al Amal {n}")
    kind = Organisation.Kind.ASSOCIATION
    territory = factory.LazyFunction(lambda: territory_root("Maroc", "MA"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    sex = Person.Sex.FEMALE
    birth_year = 1990
    organisation = factory.SubFactory(OrganisationFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    code = factory.Sequence(lambda n: f"COH-{n:04d}")
    title = "Mobilisation sociale et suivi des projets"
    territory = factory.LazyFunction(lambda: territory_root("Maroc", "MA"))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")


def coordinator_of(territory, **user_kwargs):
    user = UserFactory(**user_kwargs)
    role_assign(user=user, role=Role.COORDINATOR, territory=territory)
    return user


def focal_point_of(organisation, **user_kwargs):
    user = UserFactory(**user_kwargs)
    role_assign(user=user, role=Role.FOCAL_POINT, organisation=organisation)
    return user


def trainer(**user_kwargs):
    user = UserFactory(**user_kwargs)
    role_assign(user=user, role=Role.TRAINER)
    return user


def participant(person=None, **user_kwargs):
    user = UserFactory(**user_kwargs)
    person = person or PersonFactory()
    person.user = user
    person.save(update_fields=["user"])
    return user


# --- assessments ------------------------------------------------------------------------------


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Framework"

    code = factory.Sequence(lambda n: f"cadre-{n}")
    version = 1
    name = factory.Sequence(lambda n: f"Cadre de diagnostic {n}")


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Dimension"

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"dimension_{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    order = factory.Sequence(int)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Item"

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"item-{n}")
    text = factory.Sequence(lambda n: f"Question {n} ?")
    order = factory.Sequence(int)


class ItemLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.ItemLevel"

    item = factory.SubFactory(ItemFactory)
    level = 1
    description = factory.LazyAttribute(lambda o: f"Niveau {o.level}")


def framework_with(dimension_items, **framework_kwargs):
    """A framework whose dimensions (codes) have the given numbers of items, each with four
    described levels: ``framework_with({"governance": 2, "communication": 1})``."""
    framework = FrameworkFactory(**framework_kwargs)
    for order, (code, count) in enumerate(dimension_items.items()):
        dimension = DimensionFactory(framework=framework, code=code, name=code, order=order)
        for number in range(count):
            item = ItemFactory(dimension=dimension, code=f"{code}-{number + 1}", order=number)
            for level in (1, 2, 3, 4):
                ItemLevelFactory(item=item, level=level)
    return framework


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Diagnostic"

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory)
    phase = "baseline"
    date = datetime.date(2026, 1, 15)
    status = "draft"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Response"

    diagnostic = factory.SubFactory(DiagnosticFactory)
    item = factory.SubFactory(ItemFactory)
    level = 2


def answer(diagnostic, levels):
    """Answer ``diagnostic`` with ``{item code: level}`` (``None`` leaves an item unanswered)."""
    from assessments.models import Item, Response

    items = {
        item.code: item for item in Item.objects.filter(dimension__framework=diagnostic.framework)
    }
    for code, level in levels.items():
        Response.objects.update_or_create(
            diagnostic=diagnostic, item=items[code], defaults={"level": level}
        )
    return diagnostic


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.PlanItem"

    organisation = factory.SubFactory(OrganisationFactory)
    status = "planned"


# Cohorts, sessions and attendance -------------------------------------------------------------


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"domaine-{n}")
    name = factory.Sequence(lambda n: f"Domaine {n}")


class OutsideFacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutsideFacilitator

    name = factory.Faker("name", locale="fr_FR")
    affiliation = "Consultant indépendant"
    territory = factory.LazyFunction(lambda: territory_root("Maroc", "MA"))


class CohortOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortOrganisation

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = factory.Sequence(lambda n: datetime.date(2024, 11, 1) + datetime.timedelta(days=n))
    part = Session.Part.DAY
    place = "Salle de conférence"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrolment = factory.SubFactory(
        EnrolmentFactory, cohort=factory.SelfAttribute("..session.cohort")
    )
    status = Attendance.Status.PRESENT
