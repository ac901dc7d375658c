"""Programmes, modules and lessons: Wagtail pages in a fixed tree, and the funding partners
that programmes and cohorts name. ``courses`` is content: it knows no cohort."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from courses.page_cache import attach_locale, lesson_body_html
from courses.panels import TranslationStatusPanel


class ProgrammeContentMixin:
    """Programme, module and lesson pages are read by staff, by anyone when the programme is
    open to the public, and by whoever a ``courses_can_read_programme`` hook lets in (the
    associations app: people enrolled in a cohort of the programme). Anonymous visitors are
    sent to sign in; signed-in users without access get a 403."""

    def get_programme(self):
        from courses.selectors import programme_of

        return programme_of(self)

    def get_view_restrictions(self):
        from courses.selectors import any_view_restrictions

        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        from courses.selectors import can_read_programme

        if not can_read_programme(request.user, self.get_programme()):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)


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


class ProgrammePage(ProgrammeContentMixin, Page):
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
        TranslationStatusPanel(heading=_("Translations")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["renfort.HomePage"]
    subpage_types = ["courses.ModulePage"]

    template = "courses/programme_page.html"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def get_programme(self):
        return self

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import programme_partners, programme_progress

        context = super().get_context(request, *args, **kwargs)
        attach_locale(self)
        context["progress"] = programme_progress(request.user, self)
        context["partners"] = (
            list(self.partners.all())
            if getattr(request, "is_preview", False)
            else programme_partners(self)
        )
        return context


class ModulePage(ProgrammeContentMixin, Page):
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
        TranslationStatusPanel(heading=_("Translations")),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]

    template = "courses/module_page.html"

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import module_lessons

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = module_lessons(request.user, self)
        context["done"] = sum(1 for lesson in context["lessons"] if lesson.is_done)
        return context


class LessonPage(ProgrammeContentMixin, Page):
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
        TranslationStatusPanel(heading=_("Translations")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def body_html(self, request):
        """The rendered body: the same for every reader, kept in the shared cache per
        publication and language (``courses.page_cache``); previews are rendered afresh."""

        def render():
            return render_to_string("courses/lesson_body.html", {"page": self})

        if getattr(request, "is_preview", False):
            return render()
        return lesson_body_html(self, render)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            return self.serve_mark_done(request)
        return super().serve(request, *args, **kwargs)

    def serve_mark_done(self, request):
        """'Mark as done' (a POST with CSRF): recorded once however often it is retried, then
        back to a GET (post/redirect/get) on the next lesson, or this one at the end."""
        from courses.selectors import can_read_programme, lesson_neighbours
        from courses.services import lesson_mark_done

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not can_read_programme(request.user, self.get_programme()):
            raise PermissionDenied
        lesson_mark_done(user=request.user, lesson=self)
        messages.success(request, gettext("Lesson marked as done."))
        _previous, following = lesson_neighbours(self)
        target = following or self
        return redirect(target.get_url(request), permanent=False)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import done_translation_keys, lesson_module, lesson_neighbours

        context = super().get_context(request, *args, **kwargs)
        attach_locale(self)
        context["previous_lesson"], context["next_lesson"] = lesson_neighbours(self)
        context["module"] = lesson_module(self)
        context["body_html"] = self.body_html(request)
        context["is_done"] = self.translation_key in done_translation_keys(
            request.user, [self.translation_key]
        )
        return context


class LessonCompletion(models.Model):
    """A lesson a user marked as done online (one row per user and lesson, whatever the
    retries). Progress counts a lesson done in any of its translations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("user"),
    )
    lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("lesson"),
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lessoncompletion_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"
