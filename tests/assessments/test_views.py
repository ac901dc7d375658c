"""The diagnostic pages: who sees what, the self-assessment journey, the association page and
its query count."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Diagnostic, ItemLevel, PlanItem, Response
from assessments.services import framework_load_from_file
from associations.models import Cohort
from courses.models import ModulePage, ProgrammePage
from renfort.models import HomePage
from tests.factories import (
    PASSWORD,
    CohortFactory,
    DiagnosticFactory,
    OrganisationFactory,
    UserFactory,
    answer,
    coordinator_of,
    focal_point_of,
    framework_with,
    trainer,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def setup(world):
    framework = framework_with(
        {"governance": 2, "financial_management": 2, "communication": 1}, code="assoc"
    )
    organisation = world["org_moulay"]
    other = world["org_aplahoue"]
    diagnostic = DiagnosticFactory(organisation=organisation, framework=framework)
    answer(diagnostic, {"governance-1": 2})
    other_diagnostic = DiagnosticFactory(organisation=other, framework=framework)
    evidence_item = framework.dimensions.first().items.first()
    coordinator = coordinator_of(world["moulay"])
    from assessments.services import evidence_add

    evidence = evidence_add(
        user=coordinator,
        diagnostic=diagnostic,
        item=evidence_item,
        upload=SimpleUploadedFile("pv.pdf", b"%PDF-1.4"),
    )
    return {
        "framework": framework,
        "organisation": organisation,
        "diagnostic": diagnostic,
        "other_diagnostic": other_diagnostic,
        "evidence": evidence,
        "coordinator": coordinator,
        "focal": focal_point_of(organisation),
        "outsider_coordinator": coordinator_of(world["couffo"]),
        "outsider_focal": focal_point_of(world["org_lokossa"]),
        "item": evidence_item,
    }


def _urls(setup):
    diagnostic, organisation = setup["diagnostic"], setup["organisation"]
    return [
        reverse("assessments:organisation_page", args=[organisation.pk]),
        reverse("assessments:diagnostic_detail", args=[diagnostic.pk]),
        reverse("assessments:diagnostic_export", args=[diagnostic.pk]),
        reverse("assessments:evidence_file", args=[setup["evidence"].pk]),
        reverse("assessments:diagnostic_start", args=[organisation.pk]),
    ]


@pytest.mark.parametrize("who", ["coordinator", "focal"])
def test_people_in_scope_see_the_diagnostic_pages(client, setup, who):
    login(client, setup[who])
    for url in _urls(setup):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider_coordinator", "outsider_focal", "trainer", "nobody"])
def test_people_out_of_scope_get_404_everywhere(client, setup, who):
    user = {"trainer": trainer(), "nobody": UserFactory()}.get(who) or setup[who]
    login(client, user)
    for url in _urls(setup):
        assert client.get(url).status_code == 404, url
    item = setup["item"]
    diagnostic = setup["diagnostic"]
    posts = [
        (reverse("assessments:response_save", args=[diagnostic.pk, item.pk]), {"level": 4}),
        (reverse("assessments:diagnostic_submit", args=[diagnostic.pk]), {}),
        (reverse("assessments:diagnostic_validate", args=[diagnostic.pk]), {}),
        (reverse("assessments:diagnostic_correct", args=[diagnostic.pk]), {"reason": "x"}),
        (reverse("assessments:diagnostic_start", args=[diagnostic.organisation_id]), {}),
        (reverse("assessments:plan_item_add", args=[diagnostic.organisation_id]), {"module": 1}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Response.objects.get(diagnostic=diagnostic, item=item).level == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, setup):
    for url in _urls(setup):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response.url


def test_lists_show_only_what_is_in_scope(client, setup):
    url = reverse("assessments:diagnostic_list")
    login(client, setup["focal"])
    html = client.get(url).content.decode()
    assert "Association Tafilalt" in html and "GUPS d&#x27;Aplahoué" not in html
    client.logout()
    login(client, setup["outsider_coordinator"])
    html = client.get(url).content.decode()
    assert "Association Tafilalt" not in html and "Aplahoué" in html


def test_the_territory_needs_page_is_for_coordinators_only(client, setup):
    url = reverse("assessments:territory_needs")
    login(client, setup["focal"])
    assert client.get(url).status_code == 404
    client.logout()
    login(client, setup["coordinator"])
    assert client.get(url).status_code == 200


def test_framework_export_is_for_coordinators_only(client, setup):
    url = reverse("assessments:framework_export", args=[setup["framework"].pk])
    login(client, setup["focal"])
    assert client.get(url).status_code == 404
    client.logout()
    login(client, setup["coordinator"])
    response = client.get(url)
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 6


def test_focal_point_fills_and_submits_then_coordinator_validates(client, setup):
    organisation = setup["organisation"]
    focal, coordinator = setup["focal"], setup["coordinator"]
    login(client, focal)
    response = client.post(
        reverse("assessments:diagnostic_start", args=[organisation.pk]),
        {"framework": setup["framework"].pk, "phase": "midline", "date": "2026-06-01"},
    )
    diagnostic = Diagnostic.objects.get(phase="midline")
    assert response.url == reverse("assessments:diagnostic_detail", args=[diagnostic.pk])
    assert diagnostic.is_self_assessment
    item = setup["item"]
    save_url = reverse("assessments:response_save", args=[diagnostic.pk, item.pk])
    # The script's small POST answers JSON...
    response = client.post(
        save_url, {"level": 3, "comment": "PV signés"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"saved": True, "answered": 1}
    # ...and the plain form, without JavaScript, goes back to the item.
    response = client.post(save_url, {"level": 4, "comment": "PV signés"})
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    html = client.get(reverse("assessments:diagnostic_detail", args=[diagnostic.pk])).content
    assert b'value="4" checked' in html and "PV signés".encode() in html
    client.post(reverse("assessments:diagnostic_submit", args=[diagnostic.pk]))
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUBMITTED
    response = client.post(save_url, {"level": 1}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert (
        client.post(reverse("assessments:diagnostic_validate", args=[diagnostic.pk])).status_code
        == 403
    )
    client.logout()

    login(client, coordinator)
    client.post(reverse("assessments:diagnostic_validate", args=[diagnostic.pk]))
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.VALIDATED
    html = client.get(reverse("assessments:diagnostic_detail", args=[diagnostic.pk])).content
    assert b"data-autosave" not in html  # read-only
    response = client.post(
        reverse("assessments:diagnostic_correct", args=[diagnostic.pk]), {"reason": "Erreur"}
    )
    revision = Diagnostic.objects.get(revision_of=diagnostic)
    assert response.url == reverse("assessments:diagnostic_detail", args=[revision.pk])


def test_refused_evidence_shows_the_message(client, setup):
    login(client, setup["coordinator"])
    diagnostic, item = setup["diagnostic"], setup["item"]
    response = client.post(
        reverse("assessments:evidence_upload", args=[diagnostic.pk, item.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
        follow=True,
    )
    assert b"are not accepted" in response.content or "ne sont pas" in (response.content.decode())


def _programme_with_module(codes):
    home = HomePage.objects.first()
    programme = home.add_child(
        instance=ProgrammePage(title="Takwia", slug=f"takwia-{ProgrammePage.objects.count()}")
    )
    module = programme.add_child(
        instance=ModulePage(title="Gérer les finances", slug="finances", dimension_codes=codes)
    )
    return programme, module


def _organisation_world(world, diagnostics, framework):
    organisation = OrganisationFactory(territory=world["moulay"])
    for index in range(diagnostics):
        diagnostic = DiagnosticFactory(
            organisation=organisation,
            framework=framework,
            status="validated",
            phase=["baseline", "midline", "endline"][index % 3],
            date=datetime.date(2025 + index, 1, 1),
        )
        for n, item in enumerate(
            item for dimension in framework.dimensions.all() for item in dimension.items.all()
        ):
            Response.objects.create(diagnostic=diagnostic, item=item, level=1 + (index + n) % 4)
    return organisation


@pytest.mark.parametrize(("items_per_dimension", "diagnostics"), [(1, 1), (7, 3)])
def test_the_association_page_costs_the_same_queries_at_any_size(
    client, world, django_assert_max_num_queries, items_per_dimension, diagnostics
):
    framework = framework_with(
        dict.fromkeys(
            ("governance", "financial_management", "communication", "service_quality"),
            items_per_dimension,
        )
    )
    programme, module = _programme_with_module(["financial_management"])
    CohortFactory(programme=programme, territory=world["moulay"], status=Cohort.Status.RUNNING)
    organisation = _organisation_world(world, diagnostics, framework)
    PlanItem.objects.create(organisation=organisation, module=module)
    coordinator = coordinator_of(world["moulay"])
    login(client, coordinator)
    url = reverse("assessments:organisation_page", args=[organisation.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200


def test_the_association_page_shows_radar_changes_and_recommended_modules(client, world):
    framework, _ = framework_load_from_file(path="associations.json")
    organisation = world["org_moulay"]
    programme, module = _programme_with_module(["financial_management"])
    cohort = CohortFactory(
        programme=programme, territory=world["moulay"], status=Cohort.Status.PLANNED
    )
    baseline = DiagnosticFactory(
        organisation=organisation,
        framework=framework,
        status="validated",
        date=datetime.date(2026, 1, 10),
    )
    midline = DiagnosticFactory(
        organisation=organisation,
        framework=framework,
        status="validated",
        phase="midline",
        date=datetime.date(2026, 9, 10),
    )
    for dimension in framework.dimensions.prefetch_related("items"):
        weak = dimension.code == "financial_management"
        for item in dimension.items.all():
            Response.objects.create(diagnostic=baseline, item=item, level=1 if weak else 2)
            Response.objects.create(diagnostic=midline, item=item, level=1 if weak else 3)
    coordinator = coordinator_of(world["moulay"])
    login(client, coordinator)
    url = reverse("assessments:organisation_page", args=[organisation.pk])
    html = client.get(url).content.decode()
    assert "<svg" in html and 'class="serie baseline"' in html and 'class="serie latest"' in html
    assert 'x1="160.0"' in html  # geometry is never localised ("160,0" breaks the SVG)
    assert "+33" in html  # 2 -> 3 everywhere but finances: 33.3 -> 66.7
    assert "Gérer les finances" in html and cohort.code in html
    response = client.post(
        reverse("assessments:plan_item_add", args=[organisation.pk]),
        {"module": module.pk, "cohort": cohort.pk, "due_date": "2026-12-31"},
    )
    assert response.status_code == 302
    plan_item = PlanItem.objects.get(organisation=organisation)
    assert (plan_item.module_id, plan_item.cohort_id) == (module.pk, cohort.pk)
    assert "Déjà dans le plan" in client.get(url).content.decode()
    client.logout()
    login(client, focal_point_of(organisation))
    assert (
        client.post(
            reverse("assessments:plan_item_add", args=[organisation.pk]), {"module": module.pk}
        ).status_code
        == 403
    )


def test_the_territory_counts_weak_organisations_per_dimension(world):
    from assessments.selectors import territory_needs

    framework = framework_with({"governance": 1, "communication": 1})
    programme, module = _programme_with_module(["communication"])
    levels = [(1, 4), (2, 1), (4, 1)]  # (governance, communication) per organisation
    for governance, communication in levels:
        diagnostic = DiagnosticFactory(
            organisation=OrganisationFactory(territory=world["moulay"]),
            framework=framework,
            status="validated",
        )
        answer(diagnostic, {"governance-1": governance, "communication-1": communication})
    # A draft elsewhere and an organisation out of the territory do not count.
    DiagnosticFactory(organisation=world["org_aplahoue"], framework=framework, status="validated")
    needs = territory_needs(coordinator_of(world["moulay"]), world["moulay"])
    assert needs["diagnosed"] == 3
    weak = {row["code"]: row["weak"] for row in needs["dimensions"]}
    # governance: scores 0, 33, 100 -> 2 weak; communication: 100, 0, 0 -> 2 weak
    assert weak == {"governance": 2, "communication": 2}
    assert [(m.pk, m.need) for m in needs["modules"]] == [(module.pk, 2)]


def test_the_diagnostic_page_gives_levels_and_evidence_guidance_in_the_readers_language(
    client, setup
):
    level = ItemLevel.objects.filter(item=setup["item"]).order_by("level").first()
    level.description_ar, level.evidence_guidance_ar = "غياب تام", "معاينة السجل"
    level.evidence_guidance = "Constater le registre"
    level.save()
    login(client, setup["coordinator"])
    url = reverse("assessments:diagnostic_detail", args=[setup["diagnostic"].pk])
    french = client.get(url).content.decode()
    assert "Constater le registre" in french and "معاينة السجل" not in french
    arabic = client.get(f"/ar{url}").content.decode()
    assert "معاينة السجل" in arabic and "غياب تام" in arabic
    assert "Constater le registre" not in arabic


def test_a_translated_module_is_not_recommended_a_second_time(db):
    from wagtail.models import Locale

    from assessments.selectors import modules_for_dimensions
    from courses.models import ModulePage
    from tests.courses.conftest import build_programme

    programme = build_programme(modules=1, lessons=1)
    module = ModulePage.objects.child_of(programme).get()
    arabic = Locale.objects.get_or_create(language_code="ar")[0]
    copy = module.copy_for_translation(arabic, copy_parents=True)
    copy.save_revision().publish()
    assert ModulePage.objects.live().filter(dimension_codes__isnull=False).count() == 2
    assert [m.pk for m in modules_for_dimensions(["governance"])] == [module.pk]
