"""Versioning, the review workflow and evidence uploads."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments import services
from assessments.models import Diagnostic, Framework, ItemLevel, Response
from assessments.uploads import MAX_DOCUMENT_BYTES
from tests.factories import (
    DiagnosticFactory,
    coordinator_of,
    focal_point_of,
    framework_with,
)


@pytest.fixture
def framework(db):
    return framework_with({"governance": 2, "communication": 1}, code="assoc")


def test_new_version_copies_dimensions_items_and_levels(framework):
    copy = services.framework_new_version(framework=framework)
    assert (copy.code, copy.version) == ("assoc", 2)
    assert list(copy.dimensions.values_list("code", flat=True)) == ["governance", "communication"]
    assert ItemLevel.objects.filter(item__dimension__framework=copy).count() == 12
    assert framework.dimensions.count() == 2  # the old version is untouched


def test_editing_a_framework_in_use_makes_a_new_version(framework, world):
    assert services.framework_for_editing(framework=framework) == framework
    DiagnosticFactory(framework=framework, organisation=world["org_moulay"])
    editable = services.framework_for_editing(framework=framework)
    assert editable != framework and editable.version == 2
    assert Framework.objects.filter(code="assoc").count() == 2


def test_self_assessment_workflow(framework, world):
    organisation = world["org_moulay"]
    focal = focal_point_of(organisation)
    coordinator = coordinator_of(world["moulay"])
    diagnostic = services.diagnostic_start(
        user=focal,
        organisation=organisation,
        framework=framework,
        phase="baseline",
        date="2026-03-01",
        is_self_assessment=False,  # a focal point can only self-assess
    )
    assert diagnostic.is_self_assessment
    item = framework.dimensions.get(code="governance").items.first()
    services.response_save(user=focal, diagnostic=diagnostic, item=item, level=3, comment="PV")
    services.response_save(user=focal, diagnostic=diagnostic, item=item, level=2)
    response = Response.objects.get(diagnostic=diagnostic, item=item)
    assert (response.level, response.comment) == (2, "PV")
    with pytest.raises(PermissionDenied):
        services.diagnostic_validate(user=focal, diagnostic=diagnostic)
    services.diagnostic_submit(user=focal, diagnostic=diagnostic)
    with pytest.raises(PermissionDenied):  # the focal point cannot change it under review
        services.response_save(user=focal, diagnostic=diagnostic, item=item, level=4)
    services.response_save(user=coordinator, diagnostic=diagnostic, item=item, level=3)
    services.diagnostic_validate(user=coordinator, diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.VALIDATED
    assert diagnostic.validated_by == coordinator
    with pytest.raises(PermissionDenied):  # validated is read-only
        services.response_save(user=coordinator, diagnostic=diagnostic, item=item, level=1)


def test_a_correction_makes_a_revision_with_who_and_why(framework, world):
    organisation = world["org_moulay"]
    coordinator = coordinator_of(world["moulay"])
    diagnostic = DiagnosticFactory(organisation=organisation, framework=framework)
    item = framework.dimensions.get(code="governance").items.first()
    services.response_save(user=coordinator, diagnostic=diagnostic, item=item, level=2)
    services.diagnostic_validate(user=coordinator, diagnostic=diagnostic)
    with pytest.raises(ValidationError):
        services.diagnostic_correct(user=coordinator, diagnostic=diagnostic, reason=" ")
    revision = services.diagnostic_correct(
        user=coordinator, diagnostic=diagnostic, reason="Level read from the wrong minutes"
    )
    assert revision.revision_of == diagnostic and revision.created_by == coordinator
    assert revision.responses.get(item=item).level == 2
    services.response_save(user=coordinator, diagnostic=revision, item=item, level=3)
    services.diagnostic_validate(user=coordinator, diagnostic=revision)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUPERSEDED
    assert diagnostic.responses.get(item=item).level == 2  # the original is kept as it was


def test_a_coordinator_elsewhere_cannot_write(framework, world):
    diagnostic = DiagnosticFactory(organisation=world["org_moulay"], framework=framework)
    outsider = coordinator_of(world["mono"])
    item = framework.dimensions.first().items.first()
    with pytest.raises(PermissionDenied):
        services.response_save(user=outsider, diagnostic=diagnostic, item=item, level=2)
    with pytest.raises(PermissionDenied):
        services.diagnostic_validate(user=outsider, diagnostic=diagnostic)


def test_an_item_of_another_framework_is_refused(framework, world):
    coordinator = coordinator_of(world["moulay"])
    diagnostic = DiagnosticFactory(organisation=world["org_moulay"], framework=framework)
    other_item = framework_with({"x": 1}).dimensions.first().items.first()
    with pytest.raises(ValidationError):
        services.response_save(user=coordinator, diagnostic=diagnostic, item=other_item, level=2)


def test_many_levels_saved_at_once_follow_the_same_rules(framework, world):
    coordinator = coordinator_of(world["moulay"])
    diagnostic = DiagnosticFactory(organisation=world["org_moulay"], framework=framework)
    first, second, third = [
        item for dimension in framework.dimensions.all() for item in dimension.items.all()
    ]
    services.response_save(
        user=coordinator, diagnostic=diagnostic, item=first, level=1, comment="PV"
    )
    services.responses_save(
        user=coordinator, diagnostic=diagnostic, levels={first: 3, second: 4, third: None}
    )
    saved = {r.item_id: (r.level, r.comment) for r in diagnostic.responses.all()}
    assert saved == {first.pk: (3, "PV"), second.pk: (4, ""), third.pk: (None, "")}
    with pytest.raises(PermissionDenied):
        services.responses_save(
            user=coordinator_of(world["mono"]), diagnostic=diagnostic, levels={first: 2}
        )
    with pytest.raises(ValidationError):
        services.responses_save(user=coordinator, diagnostic=diagnostic, levels={first: 5})
    other_item = framework_with({"x": 1}).dimensions.first().items.first()
    with pytest.raises(ValidationError):
        services.responses_save(user=coordinator, diagnostic=diagnostic, levels={other_item: 2})
    assert diagnostic.responses.get(item=first).level == 3


def _image(size, image_format="PNG", name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def draft(framework, world):
    coordinator = coordinator_of(world["moulay"])
    diagnostic = DiagnosticFactory(organisation=world["org_moulay"], framework=framework)
    return coordinator, diagnostic, framework.dimensions.first().items.first()


def test_a_photo_and_a_document_are_accepted(draft):
    user, diagnostic, item = draft
    services.evidence_add(user=user, diagnostic=diagnostic, item=item, upload=_image((40, 30)))
    pdf = SimpleUploadedFile("statuts.pdf", b"%PDF-1.4 minutes")
    evidence = services.evidence_add(user=user, diagnostic=diagnostic, item=item, upload=pdf)
    assert evidence.original_name == "statuts.pdf"
    assert Response.objects.get(diagnostic=diagnostic, item=item).evidence.count() == 2


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("macro.exe", b"MZ"), "ne sont pas acceptés"),
        (SimpleUploadedFile("fake.jpg", b"not an image at all"), "pas une photo lisible"),
        (
            SimpleUploadedFile("big.pdf", b"0" * (MAX_DOCUMENT_BYTES + 1)),
            "un document ne doit pas dépasser",
        ),
    ],
)
def test_refused_files_get_a_clear_message(draft, upload, message):
    user, diagnostic, item = draft
    with pytest.raises(ValidationError) as error:
        services.evidence_add(user=user, diagnostic=diagnostic, item=item, upload=upload)
    assert message in str(error.value)


def test_too_many_pixels_are_refused(draft, settings):
    user, diagnostic, item = draft
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            user=user, diagnostic=diagnostic, item=item, upload=_image((6001, 4001))
        )
    assert "millions de pixels" in str(error.value)


def test_a_gif_renamed_png_is_refused(draft):
    user, diagnostic, item = draft
    with pytest.raises(ValidationError):
        services.evidence_add(
            user=user, diagnostic=diagnostic, item=item, upload=_image((10, 10), "GIF", "a.png")
        )
