"""``manage.py demo_world``: the demo world it builds, its accounts, and that it is idempotent."""

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale

from associations.models import Cohort, Enrolment, Organisation, Person, Role, Territory
from associations.scope import visible_to
from renfort.models import HomePage

pytestmark = pytest.mark.django_db

ASSOCIATIVE_KINDS = [
    Organisation.Kind.ASSOCIATION,
    Organisation.Kind.COOPERATIVE,
    Organisation.Kind.FEDERATION,
]
DEMO_EMAILS = {
    "admin@renfort.demo",
    "coordination.mono@renfort.demo",
    "coordination.moulay-yacoub@renfort.demo",
    "etienne.zannou@renfort.demo",
    "bruno.gbehinto@renfort.demo",
    "formation.takwia@renfort.demo",
    "pointfocal@renfort.demo",
    "participant@renfort.demo",
}


def run(**options):
    out = StringIO()
    call_command("demo_world", stdout=out, **options)
    return out.getvalue()


def user(email):
    return get_user_model().objects.get(email=email)


def below(code):
    return Territory.objects.get(code=code).path


def moulay_yacoub_associations():
    return Organisation.objects.filter(
        territory__path__startswith=below("MA-03-MY"), kind__in=ASSOCIATIVE_KINDS
    )


def snapshot():
    """Every row of every table, so a second run can be shown to change nothing."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_the_territory_tree_holds_the_real_territories(demo):
    mono = Territory.objects.get(code="BJ-MO")
    assert mono.kind == Territory.Kind.DEPARTMENT
    assert mono.get_parent().name == "Bénin"
    assert sorted(t.name for t in mono.get_children()) == [
        "Athiémé",
        "Bopa",
        "Comè",
        "Grand-Popo",
        "Houéyogbé",
        "Lokossa",
    ]
    moulay = Territory.objects.get(code="MA-03-MY")
    assert [a.name for a in moulay.get_ancestors()] == ["Maroc", "Fès-Meknès"]
    assert moulay.get_children().count() >= 8
    agadir = Territory.objects.get(name="Agadir Ida-Outanane")
    assert agadir.kind == Territory.Kind.PREFECTURE
    assert agadir.get_parent().name == "Souss-Massa"
    assert Territory.objects.get(name="Ségou", kind=Territory.Kind.REGION).get_children()
    assert Territory.objects.get(name="Dédougou").get_ancestors()[0].name == "Burkina Faso"


def test_mono_has_its_directorate_six_desks_three_services_and_25_agents(demo):
    in_mono = Organisation.objects.filter(territory__path__startswith=below("BJ-MO"))
    assert in_mono.filter(kind=Organisation.Kind.DIRECTORATE).get().acronym == "DDASM-M"
    desks = in_mono.filter(kind=Organisation.Kind.ONE_STOP_DESK)
    assert desks.count() == 6
    assert sorted(desks.values_list("territory__name", flat=True)) == [
        "Athiémé",
        "Bopa",
        "Comè",
        "Grand-Popo",
        "Houéyogbé",
        "Lokossa",
    ]
    assert in_mono.filter(kind=Organisation.Kind.SECTORAL_SERVICE).count() == 3
    agents = Person.objects.filter(organisation__in=in_mono)
    assert agents.count() == 25
    assert agents.values("organisation").distinct().count() == 10
    assert set(agents.values_list("sex", flat=True)) == {"F", "M"}
    assert not agents.filter(birth_year__isnull=True).exists()
    assert agents.values("email").distinct().count() == 25


def test_moulay_yacoub_has_fifty_associations_with_unique_registration_numbers(demo):
    associations = moulay_yacoub_associations()
    assert associations.count() == 50
    assert associations.values("registration_number").distinct().count() == 50
    assert associations.values("name").distinct().count() == 50
    assert set(associations.values_list("kind", flat=True)) == set(ASSOCIATIVE_KINDS)
    assert associations.filter(women_led=True).exists()
    assert associations.filter(youth_led=True).exists()
    assert not associations.filter(acronym="").exists()
    assert not associations.filter(year_founded__isnull=True).exists()
    assert Person.objects.filter(organisation__in=associations).count() >= 10


def test_the_cohorts_of_lokossa_and_takwia(demo):
    workshop = Cohort.objects.get(title="Mobilisation sociale et suivi des projets et programmes")
    assert (workshop.start_date.isoformat(), workshop.end_date.isoformat()) == (
        "2024-11-20",
        "2024-11-22",
    )
    assert workshop.status == Cohort.Status.CLOSED
    assert "Préfecture de Lokossa" in workshop.venue
    assert workshop.enrolments.count() == 25
    assert not workshop.enrolments.filter(organisation__isnull=True).exists()
    assert sorted(u.email for u in workshop.facilitators.all()) == [
        "bruno.gbehinto@renfort.demo",
        "etienne.zannou@renfort.demo",
    ]
    takwia = Cohort.objects.get(title__contains="Takwia")
    assert takwia.status == Cohort.Status.RUNNING
    assert takwia.territory.code == "MA-03-MY"
    assert [u.email for u in takwia.facilitators.all()] == ["formation.takwia@renfort.demo"]
    # Every association of the province sends one or two delegates, all enrolled (the seed).
    delegates = takwia.enrolments.filter(replaces__isnull=True)
    per_association = Counter(delegates.values_list("organisation_id", flat=True))
    assert set(per_association) == set(moulay_yacoub_associations().values_list("pk", flat=True))
    assert set(per_association.values()) == {1, 2}
    assert delegates.count() == 82 and len(per_association) == 50
    assert set(takwia.enrolments.values_list("organisation__kind", flat=True)) <= set(
        ASSOCIATIVE_KINDS
    )


def test_the_demo_accounts_hold_their_roles(demo):
    User = get_user_model()
    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS
    admin = user("admin@renfort.demo")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.exclude(pk=admin.pk).filter(is_staff=True).exists()

    def roles(email):
        return sorted(
            (a.role, a.territory and a.territory.code, a.organisation_id)
            for a in user(email).role_assignments.all()
        )

    assert roles("coordination.mono@renfort.demo") == [(Role.COORDINATOR, "BJ-MO", None)]
    assert roles("coordination.moulay-yacoub@renfort.demo") == [
        (Role.COORDINATOR, "MA-03-MY", None)
    ]
    for email in ("etienne.zannou", "bruno.gbehinto", "formation.takwia"):
        assert roles(f"{email}@renfort.demo") == [(Role.TRAINER, None, None)]
    [(role, _, organisation_id)] = roles("pointfocal@renfort.demo")
    assert role == Role.FOCAL_POINT
    assert Organisation.objects.get(pk=organisation_id) in moulay_yacoub_associations()
    participant = user("participant@renfort.demo")
    assert not participant.role_assignments.exists()
    assert participant.person.organisation.territory.code.startswith("BJ-MO")
    assert participant.person.enrolments.count() == 1
    assert all(u.first_name and u.last_name for u in User.objects.all())


def test_each_role_sees_only_its_part_of_the_world(demo):
    organisations = Organisation.objects.all()
    mono = set(Organisation.objects.filter(territory__path__startswith=below("BJ-MO")))
    seen = set(visible_to(user("coordination.mono@renfort.demo"), organisations))
    assert seen == mono and len(seen) == 10
    seen = set(visible_to(user("coordination.moulay-yacoub@renfort.demo"), organisations))
    assert seen == set(moulay_yacoub_associations())
    focal = user("pointfocal@renfort.demo")
    assert visible_to(focal, organisations).count() == 1
    zannou = user("etienne.zannou@renfort.demo")
    assert [c.code for c in visible_to(zannou, Cohort.objects.all())] == ["DDASM-M-2024-MS"]
    assert visible_to(zannou, Person.objects.all()).count() == 25
    participant = user("participant@renfort.demo")
    assert list(visible_to(participant, Person.objects.all())) == [participant.person]
    assert visible_to(user("admin@renfort.demo"), organisations).count() == organisations.count()


def test_every_demo_account_signs_in_with_the_printed_password(client, demo):
    printed = {}
    for line in demo.splitlines():
        cells = line.split()
        if cells and cells[0].endswith("@renfort.demo"):
            printed[cells[0]] = cells[1]
    assert set(printed) == DEMO_EMAILS
    assert "http://127.0.0.1:8000/" in demo and "/admin/" in demo
    for email, password in printed.items():
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        assert response.url == reverse("dashboard"), email
        assert client.get(reverse("dashboard")).status_code == 200


def test_the_home_page_is_live_in_french_arabic_and_english(client, demo):
    french = HomePage.objects.get(locale__language_code="fr")
    assert french.live and "diagnostiquer" in french.intro
    for language_code, expected in (("ar", "رنفور"), ("en", "building the capacity")):
        translation = french.get_translation(Locale.objects.get(language_code=language_code))
        assert translation.live and not translation.has_unpublished_changes
        assert expected in translation.title
        assert expected in client.get(f"/{language_code}/").content.decode()
    assert "renforcer les capacités" in client.get("/").content.decode()


def test_a_second_run_changes_nothing(demo):
    before = snapshot()
    output = run()
    assert snapshot() == before
    assert "Rien à faire" in output


def test_a_bigger_world_keeps_the_first_rows_and_adds_the_rest(demo):
    first = list(moulay_yacoub_associations().order_by("registration_number").values())
    agents = list(Person.objects.filter(email__endswith="@ddasm-mono.demo").values())
    run(associations=120, agents=30, quiet=True)
    assert moulay_yacoub_associations().count() == 120
    assert Person.objects.filter(email__endswith="@ddasm-mono.demo").count() == 30
    assert Enrolment.objects.filter(cohort__code="DDASM-M-2024-MS").count() == 30
    kept = moulay_yacoub_associations().filter(pk__in=[row["id"] for row in first])
    assert list(kept.order_by("registration_number").values()) == first
    assert list(Person.objects.filter(pk__in=[row["id"] for row in agents]).values()) == agents
