from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from associations.models.registry import Organisation, Person, Territory
from associations.scope import ScopeRule


class OutsideFacilitator(models.Model):
    """A resource person who facilitates sessions without an account on Renfort."""

    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="outside_facilitators",
        verbose_name=_("territory"),
    )

    scope_rule = ScopeRule(territory="territory", cohort="cohorts")

    class Meta:
        verbose_name = _("outside facilitator")
        verbose_name_plural = _("outside facilitators")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class Cohort(models.Model):
    """One run of a training programme for a group of participants."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("territory")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    partners = models.ManyToManyField(
        "courses.Partner", blank=True, related_name="cohorts", verbose_name=_("funding partners")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_cohorts",
        verbose_name=_("facilitators"),
    )
    outside_facilitators = models.ManyToManyField(
        OutsideFacilitator,
        blank=True,
        related_name="cohorts",
        verbose_name=_("outside facilitators"),
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=75,
        validators=[MaxValueValidator(100)],
        help_text=_("Attendance rate a participant must reach to count as trained."),
    )

    scope_rule = ScopeRule(
        territory="territory",
        organisation="enrolments__organisation",
        person="enrolments__person",
        cohort="",
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "code"]

    def __str__(self):
        return f"{self.code} · {self.title}"


class Enrolment(models.Model):
    """A person in a cohort, with the organisation they represented at the time."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("organisation represented"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=255, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    scope_rule = ScopeRule(
        territory="cohort__territory", organisation="organisation", person="person", cohort="cohort"
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_unique_person")
        ]

    def __str__(self):
        return f"{self.person} · {self.cohort.code}"

    @property
    def is_active(self):
        return self.withdrawn_on is None


class CohortOrganisation(models.Model):
    """An organisation enrolled as such in a cohort, so its own progress can be followed
    (its people are enrolled as delegates through ``Enrolment``)."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="organisation_enrolments",
        verbose_name=_("cohort"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cohort_enrolments",
        verbose_name=_("organisation"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    scope_rule = ScopeRule(
        territory="cohort__territory", organisation="organisation", cohort="cohort"
    )

    class Meta:
        verbose_name = _("enrolled organisation")
        verbose_name_plural = _("enrolled organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"], name="cohort_organisation_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.cohort.code}"
