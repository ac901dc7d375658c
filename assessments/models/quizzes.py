"""Knowledge tests of a module: pre-test, post-test and checks, authored in the Wagtail admin as
a translatable snippet, taken online or typed in from paper.

Questions are StreamField blocks: each question and each choice keeps a stable id that the
Arabic and English copies made by ``simple_translation`` share with the French source, so an
answer given in any language is scored against the source's correct choices."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from associations.scope import ScopeRule


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("choice")


class ChoiceQuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("question"), rows=2)
    choices = blocks.ListBlock(ChoiceBlock(), label=_("choices"), min_num=2, max_num=8)

    class Meta:
        icon = "list-ul"


class TrueFalseBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("statement"), rows=2)
    answer = blocks.ChoiceBlock(
        label=_("correct answer"), choices=[("true", _("True")), ("false", _("False"))]
    )

    class Meta:
        icon = "help"
        label = _("true or false")


class QuestionsBlock(blocks.StreamBlock):
    single_choice = ChoiceQuestionBlock(label=_("single choice"))
    multiple_choice = ChoiceQuestionBlock(label=_("multiple choice"))
    true_false = TrueFalseBlock()


def source_language():
    """The language tests are written in first (French): the code, without a query."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


class QuizAdminForm(WagtailAdminModelForm):
    """The module is picked from a plain list of the source-language modules (translations of
    a quiz keep pointing at the French module), lighter than the page chooser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from courses.models import ModulePage

        self.fields["module"].queryset = ModulePage.objects.filter(
            locale__language_code=source_language()
        ).order_by("path")


class Quiz(TranslatableMixin, index.Indexed, models.Model):
    """A test attached to a module. One pre-test and one post-test per module and language."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")
        CHECK = "check", _("Knowledge check")

    title = models.CharField(_("title"), max_length=200)
    module = models.ForeignKey(
        "courses.ModulePage",
        on_delete=models.PROTECT,
        related_name="quizzes",
        verbose_name=_("module"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POST)
    instructions = models.TextField(_("instructions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    shuffle = models.BooleanField(
        _("shuffle questions"),
        default=False,
        help_text=_("Each participant sees the questions in a different order."),
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("After this time no answer is accepted; empty: never closes."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    questions = StreamField(QuestionsBlock(), blank=True, verbose_name=_("questions"))

    panels = [
        FieldPanel("title"),
        FieldPanel("module", widget=forms.Select),
        FieldPanel("kind"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("shuffle"),
                FieldPanel("closes_at"),
                FieldPanel("attempts_allowed"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("locale_id")]
    base_form_class = QuizAdminForm

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("knowledge test")
        verbose_name_plural = _("knowledge tests")
        ordering = ["module__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "kind", "locale"],
                condition=models.Q(kind__in=["pre", "post"]),
                name="quiz_one_pre_post_per_module_locale",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def source(self):
        """The French (default language) quiz of this translation group: attempts point at it
        and its correct choices score every language."""
        default = source_language()
        if self.locale.language_code == default:
            return self
        return (
            Quiz.objects.filter(
                translation_key=self.translation_key, locale__language_code=default
            ).first()
            or self
        )

    def in_language(self, language_code):
        """This quiz's copy in ``language_code``, or itself when there is none."""
        if self.locale.language_code == language_code:
            return self
        return (
            Quiz.objects.filter(
                translation_key=self.translation_key, locale__language_code=language_code
            ).first()
            or self
        )


class Attempt(models.Model):
    """One sitting of a quiz by an enrolled participant, online or typed in from paper.

    ``score`` (0-100) and ``passed`` are set when the attempt is submitted (or recorded from
    paper): the reports read them in the database."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("test")
    )
    enrolment = models.ForeignKey(
        "associations.Enrolment",
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("enrolment"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    # Question ids in the order this participant sees them (shuffled once, then kept).
    order = models.JSONField(_("question order"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    scope_rule = ScopeRule(
        territory="enrolment__cohort__territory",
        organisation="enrolment__organisation",
        person="enrolment__person",
        cohort="enrolment__cohort",
    )

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "enrolment", "number"], name="attempt_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["enrolment", "quiz"], name="attempt_enrolment_quiz"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.enrolment_id} · {self.number}"

    @property
    def is_open(self):
        return self.submitted_at is None


class Answer(models.Model):
    """The answer to one question of an attempt: the chosen choice ids (``["true"]`` or
    ``["false"]`` for a true/false statement). One row per question, overwritten when the
    participant changes their mind, so a retried request never adds a second answer."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    question_id = models.CharField(_("question"), max_length=64)
    chosen = models.JSONField(_("chosen"), default=list)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="answer_unique_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"
