"""Programmes, modules and lessons: Wagtail pages in a fixed tree, and the funding partners
that programmes and cohorts name. ``courses`` is content: it knows no cohort."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from courses.blocks import LessonBodyBlock


@register_snippet
class Partner(index.Indexed, models.Model):
    """A funding or technical partner (GIZ, UNICEF, World Bank...) named by programmes and
    cohorts."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    website = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("acronym"), FieldPanel("logo"), FieldPanel("website")]
    search_fields = [index.SearchField("name"), index.SearchField("acronym")]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name


class ProgrammePage(Page):
    """A training programme: what it is for, for whom, and its modules as child pages."""

    class Audience(models.TextChoices):
        ASSOCIATIONS = "associations", _("Associations")
        AGENTS = "agents", _("Public-service agents")
        BOTH = "both", _("Associations and public-service agents")

    summary = models.CharField(_("summary"), max_length=400, blank=True)
    objectives = RichTextField(_("objectives"), blank=True, features=["bold", "italic", "ul", "ol"])
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.BOTH
    )
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    expected_results = RichTextField(
        _("expected results"), blank=True, features=["bold", "italic", "ul", "ol"]
    )
    partners = ParentalManyToManyField(
        Partner, blank=True, related_name="programmes", verbose_name=_("funding partners")
    )
    is_open_to_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("Anyone may read this programme's content, without an enrolment."),
    )
    requires_post_test = models.BooleanField(
        _("post-test required to be trained"),
        default=False,
        help_text=_("A participant counts as trained only once the post-test is passed."),
    )
    # The diagnostic framework this programme works on, by code: assessments resolves it.
    diagnostic_framework_code = models.CharField(
        _("diagnostic framework"), max_length=50, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        FieldPanel("duration"),
        FieldPanel("expected_results"),
        FieldPanel("partners"),
        FieldPanel("is_open_to_public"),
        FieldPanel("requires_post_test"),
        FieldPanel("diagnostic_framework_code"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["renfort.HomePage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class ModulePage(Page):
    """One module of a programme, with its lessons as child pages."""

    number = models.PositiveSmallIntegerField(
        _("number"), default=1, validators=[MinValueValidator(1)]
    )
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    objectives = RichTextField(
        _("learning objectives"), blank=True, features=["bold", "italic", "ul", "ol"]
    )
    is_required = models.BooleanField(_("required"), default=True)
    prerequisites = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("prerequisites")
    )
    # Codes of the diagnostic dimensions this module strengthens (assessments resolves them).
    dimension_codes = models.JSONField(_("diagnostic dimensions"), default=list, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("duration_hours"),
        FieldPanel("objectives"),
        FieldPanel("is_required"),
        FieldPanel("prerequisites"),
        FieldPanel("dimension_codes"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")


class LessonPage(Page):
    """A lesson: a StreamField body read on a phone."""

    is_required = models.BooleanField(_("required"), default=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"), null=True, blank=True
    )
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("is_required"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
