from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.frameworks import Framework, Item
from associations.models import Organisation
from associations.scope import ScopeRule


class Diagnostic(models.Model):
    """A diagnostic of one organisation at one phase, against one framework version."""

    class Phase(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        MIDLINE = "midline", _("Midline")
        ENDLINE = "endline", _("Endline")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        VALIDATED = "validated", _("Validated")
        SUPERSEDED = "superseded", _("Replaced by a correction")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="diagnostics",
        verbose_name=_("organisation"),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="diagnostics",
        verbose_name=_("framework version"),
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    is_self_assessment = models.BooleanField(_("self-assessment"), default=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics_assessed",
        verbose_name=_("assessor"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics_created",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics_validated",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("correction of"),
    )
    revision_reason = models.TextField(_("reason for the correction"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_rule = ScopeRule(territory="organisation__territory", organisation="organisation")

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["organisation", "-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "date"])]

    def __str__(self):
        return f"{self.organisation} · {self.get_phase_display()} · {self.date:%d/%m/%Y}"

    @property
    def is_read_only(self):
        return self.status in (self.Status.VALIDATED, self.Status.SUPERSEDED)


class Response(models.Model):
    """The level an organisation reaches on one item (empty until answered), with a comment."""

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="responses", verbose_name=_("diagnostic")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="responses", verbose_name=_("item")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    scope_rule = ScopeRule(
        territory="diagnostic__organisation__territory", organisation="diagnostic__organisation"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "item"], name="response_unique_item"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=4),
                name="response_level_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.item.code}: {self.level or '-'}"


def evidence_path(instance, filename):
    return f"diagnostics/{instance.response.diagnostic_id}/{PurePath(filename).name}"


class Evidence(models.Model):
    """A document or photo that backs a response. Served only through the scoped view."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("response")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope_rule = ScopeRule(
        territory="response__diagnostic__organisation__territory",
        organisation="response__diagnostic__organisation",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
