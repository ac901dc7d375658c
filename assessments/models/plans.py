from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from associations.models import Cohort, Organisation
from associations.scope import ScopeRule


class PlanItem(models.Model):
    """One line of an organisation's capacity-development plan: a module to follow, in which
    cohort, by when. Whether it is done is read from the delegates' follow-up, not stored."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="plan_items",
        verbose_name=_("organisation"),
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        on_delete=models.PROTECT,
        related_name="plan_items",
        verbose_name=_("module"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("cohort"),
    )
    dimension_code = models.SlugField(_("dimension"), max_length=50, blank=True)
    diagnostic = models.ForeignKey(
        "assessments.Diagnostic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("from diagnostic"),
    )
    due_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    scope_rule = ScopeRule(territory="organisation__territory", organisation="organisation")

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("capacity-development plan")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "module"],
                condition=models.Q(status="planned"),
                name="plan_item_module_once",
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.module.title}"
