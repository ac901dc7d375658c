"""The cohort page, the roll call, the sign-in sheet, the focal point's association page and the
participant's progress: each for the right people only, in a bounded number of queries."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from associations.models import Attendance, Organisation
from associations.services import attendance_record, enrolment_withdraw
from associations.sign_in_sheet import enrolment_code, enrolment_pk_from_code
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    CohortOrganisationFactory,
    EnrolmentFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    """Requests to /ar/ leave Arabic active in the thread: reverse() in French every time."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def mono_cohort(world):
    cohort = CohortFactory(code="MONO-2024", territory=world["mono"], capacity=30)
    sessions = [
        SessionFactory(cohort=cohort, date=date(2024, 11, 20 + d), theme=f"Thème {d}")
        for d in range(3)
    ]
    enrolments = [
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(organisation=world["org_lokossa"], last_name=f"Agent{n:02d}"),
        )
        for n in range(5)
    ]
    for enrolment in enrolments:
        for session in sessions[:2]:
            AttendanceFactory(session=session, enrolment=enrolment)
    CohortOrganisationFactory(cohort=cohort, organisation=world["org_lokossa"])
    return cohort, sessions, enrolments


def grow(cohort, sessions, organisation, count):
    for _n in range(count):
        enrolment = EnrolmentFactory(cohort=cohort, person=PersonFactory(organisation=organisation))
        Attendance.objects.bulk_create(
            [Attendance(session=s, enrolment=enrolment, status="present") for s in sessions]
        )


def test_a_coordinator_sees_the_cohort_page_with_rates_grid_and_organisations(
    client, world, mono_cohort
):
    cohort, _sessions, _enrolments = mono_cohort
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("associations:cohort_detail", args=[cohort.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Agent00" in body and "GUPS de Lokossa" in body
    assert "67 %" in body  # 2 present of 3 held
    assert body.count('class="mark present"') == 10


@pytest.mark.parametrize("size", [10, 200])
def test_the_cohort_page_costs_the_same_queries_at_10_and_200_enrolments(
    client, world, mono_cohort, size, django_assert_max_num_queries
):
    cohort, sessions, _enrolments = mono_cohort
    grow(cohort, sessions, world["org_lokossa"], size - 5)
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_detail", args=[cohort.pk])
    client.get(url)
    # 19 for the page itself, 1 for the tests section and 1 for the surveys section (hooks).
    with django_assert_max_num_queries(21):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get(url, {"page": 2}).status_code == 200


def test_cohort_page_and_roll_call_are_refused_outside_scope_and_to_non_staff(
    client, world, mono_cohort
):
    cohort, sessions, enrolments = mono_cohort
    urls = [
        reverse("associations:cohort_detail", args=[cohort.pk]),
        reverse("associations:roll_call", args=[sessions[0].pk]),
        reverse("associations:sign_in_sheet", args=[sessions[0].pk]),
    ]
    member = participant(enrolments[0].person)
    for user in (
        coordinator_of(world["moulay"]),
        coordinator_of(world["couffo"]),
        trainer(),  # a trainer who does not run this cohort
        focal_point_of(world["org_lokossa"]),
        member,
    ):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(urls[1], {"enrolment": enrolments[0].pk, "status": "absent"})
        assert response.status_code == 404
    assert Attendance.objects.get(session=sessions[0], enrolment=enrolments[0]).status == "present"


def test_the_trainer_of_the_cohort_takes_the_roll_with_htmx_and_without_js(
    client, world, mono_cohort
):
    cohort, sessions, enrolments = mono_cohort
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    client.force_login(facilitator)
    url = reverse("associations:roll_call", args=[sessions[2].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="enrolment"') == 5
    tap = client.post(
        url, {"enrolment": enrolments[0].pk, "status": "absent"}, headers={"HX-Request": "true"}
    )
    assert tap.status_code == 200
    assert f'id="e{enrolments[0].pk}"' in tap.content.decode()
    assert "<html" not in tap.content.decode()
    again = client.post(
        url, {"enrolment": enrolments[0].pk, "status": "present"}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 200
    plain = client.post(url, {"enrolment": enrolments[1].pk, "status": "excused"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#e{enrolments[1].pk}")
    marks = dict(
        Attendance.objects.filter(session=sessions[2]).values_list("enrolment_id", "status")
    )
    assert marks == {enrolments[0].pk: "present", enrolments[1].pk: "excused"}
    assert (
        Attendance.objects.get(session=sessions[2], enrolment=enrolments[0]).recorded_by
        == facilitator
    )


def test_the_roll_refuses_someone_of_another_cohort(client, world, mono_cohort):
    cohort, sessions, _enrolments = mono_cohort
    client.force_login(coordinator_of(world["benin"]))
    stranger = EnrolmentFactory(cohort=CohortFactory(territory=world["mono"]))
    response = client.post(
        reverse("associations:roll_call", args=[sessions[0].pk]),
        {"enrolment": stranger.pk, "status": "present"},
    )
    assert response.status_code == 404
    assert not Attendance.objects.filter(enrolment=stranger).exists()


def test_a_withdrawn_person_leaves_the_roll_of_later_sessions(client, world, mono_cohort):
    cohort, sessions, enrolments = mono_cohort
    enrolment_withdraw(enrolment=enrolments[4], on=date(2024, 11, 21), reason="Mutation")
    client.force_login(coordinator_of(world["mono"]))
    later = client.get(reverse("associations:roll_call", args=[sessions[2].pk])).content.decode()
    earlier = client.get(reverse("associations:roll_call", args=[sessions[0].pk])).content.decode()
    assert "Agent04" not in later and "Agent04" in earlier


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_sign_in_sheet_holds_names_organisations_and_codes(
    client, world, mono_cohort, language, tmp_path
):
    cohort, sessions, enrolments = mono_cohort
    org = world["org_lokossa"]
    org.name_ar = "الشباك الوحيد لوكوسا"
    org.save()
    arabic = PersonFactory(organisation=org, first_name="فاطمة", last_name="الزهراء")
    EnrolmentFactory(cohort=cohort, person=arabic)
    client.force_login(coordinator_of(world["mono"]))
    prefix = "" if language == "fr" else f"/{language}"
    url = prefix + reverse("associations:sign_in_sheet", args=[sessions[0].pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Agent00" in text and "MONO-2024" in text
    assert enrolment_code(enrolments[0].pk) in text
    assert "فاطمة" in text and "الزهراء" in text  # logical order, not reversed
    if language == "ar":
        assert "الشباك الوحيد لوكوسا" in text
    else:
        assert "GUPS de Lokossa" in text


def test_codes_read_back_and_a_typo_is_caught():
    for pk in (1, 35, 36, 1234, 987654):
        assert enrolment_pk_from_code(enrolment_code(pk)) == pk
    code = enrolment_code(1234)
    typo = ("0" if code[0] != "0" else "1") + code[1:]
    assert enrolment_pk_from_code(typo) is None


def test_the_focal_point_sees_their_association_rates_and_updates_its_profile(
    client, world, mono_cohort
):
    cohort, _sessions, _enrolments = mono_cohort
    focal = focal_point_of(world["org_lokossa"])
    client.force_login(focal)
    page = client.get(reverse("associations:organisation_detail", args=[world["org_lokossa"].pk]))
    body = page.content.decode()
    assert "MONO-2024" in body and "67 %" in body
    edit = reverse("associations:organisation_edit", args=[world["org_lokossa"].pk])
    response = client.post(
        edit, {"contact_name": "Mme Dossou", "phone": "+229 97 00 00 00", "members_count": 12}
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=world["org_lokossa"].pk)
    assert (org.contact_name, org.members_count) == ("Mme Dossou", 12)
    assert org.name == "GUPS de Lokossa"  # not editable by the focal point
    other = reverse("associations:organisation_edit", args=[world["org_mono"].pk])
    assert client.get(other).status_code == 404
    client.force_login(participant(PersonFactory(organisation=world["org_lokossa"])))
    assert client.get(edit).status_code == 404


def test_the_participant_sees_their_sessions_rate_and_what_comes_next(client, world, mono_cohort):
    cohort, sessions, enrolments = mono_cohort
    SessionFactory(cohort=cohort, date=date.today() + timedelta(days=7), place="Salle des fêtes")
    user = participant(enrolments[0].person)
    client.force_login(user)
    body = client.get(reverse("dashboard")).content.decode()
    assert "MONO-2024" in body
    assert "Salle des fêtes" in body
    assert "Thème 0" in body  # a session attended
    attendance_record(session=sessions[2], enrolment=enrolments[0], status="absent", by=None)


def test_a_coordinator_enrols_people_and_organisations_and_is_told_when_full(client, world):
    cohort = CohortFactory(code="MONO-2025", territory=world["mono"], capacity=1)
    first = PersonFactory(organisation=world["org_lokossa"], last_name="Premier")
    second = PersonFactory(organisation=world["org_mono"], last_name="Second")
    outsider = PersonFactory(organisation=world["org_moulay"], last_name="Dehors")
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:cohort_enrol", args=[cohort.pk])
    detail = reverse("associations:cohort_detail", args=[cohort.pk])
    page = client.get(detail, {"person_q": "e"}).content.decode()
    assert "Premier" in page and "Dehors" not in page
    assert client.post(url, {"person": first.pk}).status_code == 302
    full = client.post(url, {"person": second.pk}, follow=True)
    assert "complète" in full.content.decode()
    client.post(url, {"person": outsider.pk})
    client.post(url, {"organisation": world["org_lokossa"].pk})
    client.post(url, {"organisation": world["org_moulay"].pk})
    assert list(cohort.enrolments.values_list("person__last_name", flat=True)) == ["Premier"]
    assert list(cohort.organisation_enrolments.values_list("organisation__name", flat=True)) == [
        "GUPS de Lokossa"
    ]


def test_only_coordinators_enrol(client, world):
    cohort = CohortFactory(territory=world["mono"])
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    client.force_login(facilitator)
    person = PersonFactory(organisation=world["org_lokossa"])
    url = reverse("associations:cohort_enrol", args=[cohort.pk])
    assert client.post(url, {"person": person.pk}).status_code == 404
    client.force_login(coordinator_of(world["moulay"]))
    assert client.post(url, {"person": person.pk}).status_code == 404
    assert not cohort.enrolments.exists()


def test_a_coordinator_records_a_replacement_and_both_enrolments_stay(client, world, mono_cohort):
    cohort, _sessions, enrolments = mono_cohort
    newcomer = PersonFactory(organisation=world["org_lokossa"], last_name="Nouvelle")
    url = reverse("associations:enrolment_withdrawal", args=[enrolments[0].pk])
    client.force_login(trainer())
    assert client.get(url).status_code == 404
    client.force_login(coordinator_of(world["moulay"]))
    assert client.get(url).status_code == 404
    client.force_login(coordinator_of(world["mono"]))
    response = client.post(
        url, {"on": "2024-11-21", "reason": "Mutation", "replacement": newcomer.pk}
    )
    assert response.status_code == 302
    enrolments[0].refresh_from_db()
    assert enrolments[0].withdrawn_on == date(2024, 11, 21)
    assert enrolments[0].replaced_by.person == newcomer
    assert cohort.enrolments.count() == 6
    assert client.get(url).status_code == 404  # already withdrawn
    page = client.get(reverse("associations:cohort_detail", args=[cohort.pk])).content.decode()
    assert "Nouvelle" in page and "Mutation" in page


def test_the_cohort_page_counts_the_same_rates_as_with_attendance(world):
    """The cohort page counts held, present and excused from the grid's marks; the one
    definition (``with_attendance``) must give the same figures for every enrolment."""
    from associations.models import Enrolment
    from associations.selectors import cohort_enrolments, cohort_page, with_attendance

    cohort = CohortFactory(code="RATES-1", territory=world["mono"], capacity=30)
    today = date.today()
    sessions = [
        SessionFactory(cohort=cohort, date=today - timedelta(days=10 - d), theme=f"S{d}")
        for d in range(6)
    ]
    sessions.append(SessionFactory(cohort=cohort, date=today + timedelta(days=3)))  # to come
    sessions[2].cancelled = True
    sessions[2].save()
    statuses = ["present", "absent", "excused", None]
    for n in range(8):
        enrolment = EnrolmentFactory(
            cohort=cohort, person=PersonFactory(organisation=world["org_lokossa"])
        )
        for m, session in enumerate(sessions):
            status = statuses[(n + m) % 4]
            if status:
                Attendance.objects.create(session=session, enrolment=enrolment, status=status)
    coordinator = coordinator_of(world["mono"])
    page = list(cohort_enrolments(coordinator, cohort, with_rates=False))
    cohort_page(coordinator, cohort, enrolments_page=page)
    expected = {
        e.pk: (e.sessions_held, e.sessions_present, e.sessions_excused, e.attendance_rate)
        for e in with_attendance(Enrolment.objects.filter(cohort=cohort))
    }
    assert len(page) == 8
    for enrolment in page:
        assert (
            enrolment.sessions_held,
            enrolment.sessions_present,
            enrolment.sessions_excused,
            enrolment.attendance_rate,
        ) == expected[enrolment.pk]


def _row_of(html, pk):
    """The roll-call row ``<li id="e<pk>">…</li>`` of ``html``, the CSRF token blanked (it is
    masked afresh in every response)."""
    import re

    row = re.search(rf'<li id="e{pk}".*?</li>', html, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", row)


def test_a_roll_call_row_is_the_same_on_the_page_and_in_the_tap_answer(client, world, mono_cohort):
    """The page builds its rows from plain values, the tap's answer from the enrolment: both
    must give the same markup (names, organisation, pressed button, saved mark)."""
    cohort, sessions, enrolments = mono_cohort
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:roll_call", args=[sessions[2].pk])
    target = enrolments[3]
    tap = client.post(
        url, {"enrolment": target.pk, "status": "excused"}, headers={"HX-Request": "true"}
    ).content.decode()
    page = client.get(url).content.decode()
    assert _row_of(page, target.pk) == _row_of(tap, target.pk)
    assert 'value="excused" class="tap excused" aria-pressed="true"' in _row_of(page, target.pk)
    assert "GUPS de Lokossa" in _row_of(page, target.pk)


@pytest.mark.parametrize("size", [10, 300])
def test_the_roll_call_costs_the_same_queries_at_10_and_300_people(
    client, world, mono_cohort, size, django_assert_max_num_queries
):
    cohort, sessions, _enrolments = mono_cohort
    grow(cohort, sessions, world["org_lokossa"], size - 5)
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:roll_call", args=[sessions[0].pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count('name="enrolment"') == size
