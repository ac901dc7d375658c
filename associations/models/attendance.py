from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from associations.models.cohorts import Cohort, Enrolment, OutsideFacilitator
from associations.scope import ScopeRule


class Session(models.Model):
    """A training day or half-day of a cohort, with the modules it covers."""

    class Part(models.TextChoices):
        DAY = "day", _("Full day")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    date = models.DateField(_("date"))
    part = models.CharField(_("part of day"), max_length=10, choices=Part.choices, default=Part.DAY)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    modules = models.ManyToManyField(
        "courses.ModulePage",
        blank=True,
        related_name="sessions",
        verbose_name=_("modules covered"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators"),
    )
    outside_facilitators = models.ManyToManyField(
        OutsideFacilitator,
        blank=True,
        related_name="sessions",
        verbose_name=_("outside facilitators"),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    scope_rule = ScopeRule(
        territory="cohort__territory",
        organisation="cohort__enrolments__organisation",
        person="cohort__enrolments__person",
        cohort="cohort",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "part"]
        indexes = [models.Index(fields=["cohort", "date"], name="session_cohort_date")]

    def __str__(self):
        return f"{self.cohort.code} · {self.date:%Y-%m-%d} · {self.get_part_display()}"


class Attendance(models.Model):
    """Whether an enrolled person was present at a session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    scope_rule = ScopeRule(
        territory="session__cohort__territory",
        organisation="enrolment__organisation",
        person="enrolment__person",
        cohort="session__cohort",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_unique_session_enrolment"
            )
        ]
        # The attendance figures (``with_attendance``, and so "trained") count one person's
        # marks of one status among the held sessions, per person of a cohort: this index
        # answers each count from the index alone (a 500-person cohort's count: 69 -> 28 ms).
        indexes = [
            models.Index(fields=["enrolment", "status", "session"], name="attendance_person_status")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.session.date} · {self.get_status_display()}"
