from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.translated import translated
from associations.scope import ScopeRule

LEVELS = (1, 2, 3, 4)


class Framework(models.Model):
    """One version of a diagnostic framework. A framework that diagnostics use is never edited
    in place: ``framework_new_version`` copies it to the next version."""

    class Target(models.TextChoices):
        ASSOCIATIONS = "associations", _("Associations")
        PUBLIC_SERVICES = "public_services", _("Public services")

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    target = models.CharField(
        _("for"), max_length=20, choices=Target.choices, default=Target.ASSOCIATIONS
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Reference data: read through the diagnostics that use it, edited by staff in the admin.
    scope_rule = ScopeRule()

    class Meta:
        verbose_name = _("diagnostic framework")
        verbose_name_plural = _("diagnostic frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")
        ]

    def __str__(self):
        return f"{translated(self, 'name')} (v{self.version})"

    @property
    def label(self):
        return translated(self, "name")


class Dimension(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("framework")
    )
    # Stable across versions: scores are compared between versions by this code only.
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )

    scope_rule = ScopeRule()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")
        ]

    def __str__(self):
        return translated(self, "name")

    @property
    def label(self):
        return translated(self, "name")


class Item(models.Model):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="items", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"), max_length=60)
    text = models.TextField(_("question (French)"))
    text_ar = models.TextField(_("question (Arabic)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_rule = ScopeRule()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["dimension__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="item_code_unique")
        ]

    def __str__(self):
        return translated(self, "text")

    @property
    def label(self):
        return translated(self, "text")


class ItemLevel(models.Model):
    """What level 1 (absent) to 4 (established) looks like for one item, and what to check."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="levels", verbose_name=_("item")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    description = models.TextField(_("description (French)"))
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    evidence_guidance = models.TextField(_("evidence to look for"), blank=True)
    evidence_guidance_ar = models.TextField(_("evidence to look for (Arabic)"), blank=True)
    evidence_guidance_en = models.TextField(_("evidence to look for (English)"), blank=True)

    scope_rule = ScopeRule()

    class Meta:
        verbose_name = _("item level")
        verbose_name_plural = _("item levels")
        ordering = ["item", "level"]
        constraints = [
            models.UniqueConstraint(fields=["item", "level"], name="item_level_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="item_level_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.level}. {translated(self, 'description')}"

    @property
    def label(self):
        return translated(self, "description")
