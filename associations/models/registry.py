import unicodedata
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from associations.scope import ScopeRule


class Territory(MP_Node):
    """A node of the administrative tree: country > region > province/department/prefecture >
    commune. The materialised path makes "this node and everything below" one prefix query."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        DEPARTMENT = "department", _("Department")
        COMMUNE = "commune", _("Commune")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=30, unique=True)

    node_order_by = ["name"]
    scope_rule = ScopeRule(territory="")

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self):
        return self.name


def normalise_name(text):
    """``"  Association  AL-Amal "`` -> ``"association al amal"``: accents, case, punctuation
    and spacing removed, for duplicate warnings and import keys (any script is kept)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


AGE_BANDS = ((0, 24, "15-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"))


def age_band(birth_year, *, on=None):
    """The age band of someone born in ``birth_year`` at date ``on`` (today by default):
    "15-24", "25-34", "35-44", "45-54", "55+", or "" when the year is unknown."""
    if not birth_year:
        return ""
    age = (on or date.today()).year - birth_year
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "55+"


class Domain(models.Model):
    """A domain of action of an organisation (child protection, women's rights, disability...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_ar = models.CharField(_("Arabic name"), max_length=150, blank=True)

    scope_rule = ScopeRule(everyone=True)

    class Meta:
        verbose_name = _("domain of action")
        verbose_name_plural = _("domains of action")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An association, cooperative or federation, or a public service that sends agents."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        COOPERATIVE = "cooperative", _("Cooperative")
        FEDERATION = "federation", _("Federation or network")
        ONE_STOP_DESK = "one_stop_desk", _("One-stop social-protection desk")
        SECTORAL_SERVICE = "sectoral_service", _("Sectoral social service")
        DIRECTORATE = "directorate", _("Directorate")
        OTHER_PUBLIC = "other_public", _("Other public service")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(
        _("Arabic name"),
        max_length=200,
        blank=True,
        help_text=_("The name in Arabic as the association writes it, shown on Arabic pages."),
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("territory"),
    )
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="organisations", verbose_name=_("domains of action")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    women_led = models.BooleanField(_("women-led"), default=False)
    youth_led = models.BooleanField(_("youth-led"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)

    scope_rule = ScopeRule(territory="territory", organisation="", cohort="enrolments__cohort")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="organisation_registration_number_unique",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def display_name(self, language=None):
        """The Arabic name on Arabic pages when known, the French one otherwise."""
        from django.utils.translation import get_language

        if (language or get_language() or "").startswith("ar") and self.name_ar:
            return self.name_ar
        return self.name


class Person(models.Model):
    """A participant: an agent of a public service or a member of an association."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        NOT_STATED = "U", _("Not stated")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_STATED)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    function = models.CharField(_("function"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    scope_rule = ScopeRule(
        territory="organisation__territory",
        organisation="organisation",
        person="",
        cohort="enrolments__cohort",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def age_band(self):
        return age_band(self.birth_year)


class Role(models.TextChoices):
    TRAINER = "trainer", _("Trainer")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal_point", _("Association focal point")


class RoleAssignment(models.Model):
    """What a user may see beyond their own record: a coordinator is attached to a territory
    node, a focal point to one organisation; a trainer sees the cohorts they facilitate.
    (A participant needs no assignment: their account is linked to their Person.)"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("territory"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="coordinator") | Q(territory__isnull=False),
                name="coordinator_has_territory",
                violation_error_message=_("A coordinator must be attached to a territory."),
            ),
            models.CheckConstraint(
                condition=~Q(role="focal_point") | Q(organisation__isnull=False),
                name="focal_point_has_organisation",
                violation_error_message=_("A focal point must be attached to an organisation."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory", "organisation"],
                name="role_assignment_unique",
                violation_error_message=_("This user already has this role."),
            ),
        ]

    def __str__(self):
        target = self.territory or self.organisation
        return f"{self.user} · {self.get_role_display()}" + (f" · {target}" if target else "")
