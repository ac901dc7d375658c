"""Satisfaction surveys: questionnaires (Likert items by section, free-text questions), a survey
opened for a cohort, and its anonymous answers.

Anonymity is a property of the tables, not of the pages: a ``SurveyResponse`` has a random
primary key, no date and no link to a person or an enrolment; ``SurveyParticipation`` records
that an enrolment has answered (so nobody answers twice) and holds nothing about the answers.
The two are written in one transaction by ``survey_answer_record``."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from assessments.models.translated import translated
from associations.scope import ScopeRule

LIKERT_VALUES = (1, 2, 3, 4, 5)
SATISFIED_FROM = 4  # answers of 4 or 5 count as satisfied


class Questionnaire(ClusterableModel):
    """A satisfaction questionnaire, edited by coordinators in the Wagtail admin."""

    title = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction (French)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_default = models.BooleanField(
        _("default questionnaire"),
        default=False,
        help_text=_("Proposed first when a survey is opened."),
    )

    # Reference data: any signed-in role reads it through the surveys that use it.
    scope_rule = ScopeRule()

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("title_ar"), FieldPanel("title_en")],
            heading=_("Title"),
        ),
        MultiFieldPanel(
            [FieldPanel("intro"), FieldPanel("intro_ar"), FieldPanel("intro_en")],
            heading=_("Introduction"),
        ),
        FieldPanel("is_default"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    class Meta:
        verbose_name = _("satisfaction questionnaire")
        verbose_name_plural = _("satisfaction questionnaires")
        ordering = ["-is_default", "title"]

    def __str__(self):
        return translated(self, "title")

    @property
    def label(self):
        return translated(self, "title")

    @property
    def intro_text(self):
        return translated(self, "intro")


class Question(Orderable):
    """One question: a Likert item (1 to 5) in a section, or a free-text question."""

    class Section(models.TextChoices):
        CONTENT = "content", _("Content")
        FACILITATION = "facilitation", _("Facilitation")
        ORGANISATION = "organisation", pgettext_lazy("survey section", "Organisation")
        USEFULNESS = "usefulness", _("Usefulness")
        COMMENTS = "comments", _("Comments")

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Rating from 1 to 5")
        TEXT = "text", _("Free text")

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text = models.CharField(_("question (French)"), max_length=300)
    text_ar = models.CharField(_("question (Arabic)"), max_length=300, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)

    scope_rule = ScopeRule()

    panels = [
        FieldPanel("section"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("text_ar"),
        FieldPanel("text_en"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return translated(self, "text")

    @property
    def label(self):
        return translated(self, "text")

    @property
    def per_facilitator(self):
        """Facilitation items are asked once per facilitator of the cohort."""
        return self.kind == self.Kind.LIKERT and self.section == self.Section.FACILITATION


class Survey(models.Model):
    """A questionnaire opened for a cohort, at the end of a session or of the workshop."""

    class Occasion(models.TextChoices):
        END_OF_WORKSHOP = "workshop", _("End of workshop")
        END_OF_SESSION = "session", _("End of session")

    cohort = models.ForeignKey(
        "associations.Cohort",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("cohort"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("questionnaire"),
    )
    occasion = models.CharField(
        _("occasion"), max_length=10, choices=Occasion.choices, default=Occasion.END_OF_WORKSHOP
    )
    session = models.ForeignKey(
        "associations.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("session"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on (included)"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    scope_rule = ScopeRule(territory="cohort__territory", cohort="cohort")

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return f"{self.cohort.code} · {self.get_occasion_display()} · {self.opens_on}"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class SurveyFacilitator(models.Model):
    """A facilitator rated in a survey: a trainer with an account, an outside facilitator, or
    both when they are the same person. Fixed when the survey opens."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("survey")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trainer"),
    )
    outside_facilitator = models.ForeignKey(
        "associations.OutsideFacilitator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outside facilitator"),
    )
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_rule = ScopeRule(territory="survey__cohort__territory", cohort="survey__cohort")

    class Meta:
        verbose_name = _("rated facilitator")
        verbose_name_plural = _("rated facilitators")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.name


class SurveyResponse(models.Model):
    """One filled questionnaire. Deliberately nothing else: a random key (row order tells
    nothing), no date, no person, no enrolment, no account, no channel (online or paper)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )

    scope_rule = ScopeRule(territory="survey__cohort__territory", cohort="survey__cohort")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return str(_("Anonymous response"))


class SurveyAnswer(models.Model):
    """One answer of a response: a value from 1 to 5 (for a facilitator, on facilitation
    items) or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    facilitator = models.ForeignKey(
        SurveyFacilitator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    scope_rule = ScopeRule(
        territory="response__survey__cohort__territory", cohort="response__survey__cohort"
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1, value__lte=5),
                name="survey_answer_value_1_to_5",
            )
        ]

    def __str__(self):
        return str(self.value) if self.value is not None else self.text[:50]


class SurveyParticipation(models.Model):
    """That an enrolment has answered a survey: refuses a second answer, says nothing about
    the first (no link to the response, no date)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="participations", verbose_name=_("survey")
    )
    enrolment = models.ForeignKey(
        "associations.Enrolment",
        on_delete=models.CASCADE,
        related_name="survey_participations",
        verbose_name=_("enrolment"),
    )

    scope_rule = ScopeRule(
        territory="survey__cohort__territory",
        person="enrolment__person",
        cohort="survey__cohort",
    )

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "enrolment"], name="survey_participation_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.survey_id}"
