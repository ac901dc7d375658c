"""django-import-export resources for the four kinds of sheet.

What every import shares (``SheetResource``): existing rows are found by their natural key in
dicts built once per import (never one query per row); foreign keys are cached lookups within
the importer's scope; a row whose key appears twice in the file is an error row, not merged; an
existing row is "unchanged" when none of the file's values differ. Organisations and people are
written with ``use_bulk``; enrolments and attendance go one row at a time through the services
(``enrolment_create``, ``attendance_record``) so capacity and attendance rules hold."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from associations.models import (
    Attendance,
    Cohort,
    Enrolment,
    Organisation,
    Person,
    Territory,
)
from associations.scope import grants_for, visible_to
from associations.services import attendance_record, enrolment_create
from associations.sheets.cleaning import (
    AttendanceStatusWidget,
    CountWidget,
    EmailWidget,
    KindWidget,
    LookupWidget,
    PhoneWidget,
    SexWidget,
    TextWidget,
    URLWidget,
    YearWidget,
    YesNoWidget,
    as_text,
    blank,
    normalise_name,
    phone_key,
)
from associations.sign_in_sheet import enrolment_pk_from_code


def _field(name, widget, attribute=True):
    return fields.Field(
        attribute=name if attribute is True else attribute,
        column_name=name,
        widget=widget,
        saves_null_values=False,
    )


def _first_error(callable_, *args):
    """``callable_(*args)``, or ``None`` when it raises ``ValueError`` (keys are computed
    before the row's own errors are reported)."""
    try:
        return callable_(*args)
    except ValueError:
        return None


class SheetResource(resources.ModelResource):
    """Shared machinery; each kind says how a row's natural key is read and looked up."""

    def __init__(self, *, user, context=None, progress=None, total=0):
        super().__init__()
        self.user = user
        self.grants = grants_for(user)
        self.context = context or {}
        self.progress, self.total = progress, total
        self.row_number = 0
        self.row_errors = defaultdict(dict)  # dataset row number -> {field: [messages]}
        self.snapshots = {}

    # Natural keys ---------------------------------------------------------------------------

    def row_key(self, row):
        """The row's natural key (hashable), or ``None`` when it cannot be read."""
        raise NotImplementedError

    def key_field(self, row):
        """The column to blame when the row's key repeats another row's."""
        raise NotImplementedError

    def existing(self, row, key):
        """The stored instance with this key (visible to the importer), or ``None``."""
        raise NotImplementedError

    def prepare(self, dataset):
        """Build the lookups (one query each) before the rows are read."""

    def duplicate_keys(self, row, key):
        """The keys two rows of one file may not share, each with whether it is strong (a
        registration number, a phone) or weak (a name: homonyms with different strong keys are
        two rows, not a duplicate)."""
        return [(key, True)] if key is not None else []

    def before_import(self, dataset, **kwargs):
        self.prepare(dataset)
        self.keys = {}
        groups, has_strong = defaultdict(list), {}
        for number, values in enumerate(dataset, start=1):
            row = dict(zip(dataset.headers, values, strict=False))
            key = self.row_key(row)
            self.keys[number] = key
            keys = self.duplicate_keys(row, key)
            has_strong[number] = any(strong for _key, strong in keys)
            for pair in keys:
                groups[pair].append(number)
        repeated = defaultdict(list)
        for (_key, strong), numbers in groups.items():
            if len(numbers) < 2 or (not strong and all(has_strong[n] for n in numbers)):
                continue
            for number in numbers:
                repeated[number].append(numbers)
        for number, groups_of_row in repeated.items():
            # Name a few of the other rows, not thousands.
            others = sorted({n for numbers in groups_of_row for n in numbers[:6]} - {number})
            others = [self.sheet_row(n) for n in others[:5]]
            row = dict(zip(dataset.headers, dataset[number - 1], strict=False))
            self.row_errors[number].setdefault(self.key_field(row), []).append(
                _(
                    "The same %(what)s appears on several rows (also row %(rows)s): keep "
                    "one row per %(what)s, or correct the one that is wrong."
                )
                % {"what": self.key_label(), "rows": ", ".join(str(n) for n in others)}
            )

    def sheet_row(self, number):
        """The spreadsheet's own row number of dataset row ``number`` (set by the pipeline)."""
        return self.context.get("row_numbers", {}).get(number, number)

    def key_label(self):
        return _("same record")

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number", 0)

    def get_import_fields(self):
        # Asked for on every row: the answer never changes within an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def get_or_init_instance(self, instance_loader, row):
        key = self.keys.get(self.row_number)
        instance = self.existing(row, key) if key is not None else None
        if instance is not None:
            return instance, False
        return self.init_instance(row), True

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self.snapshots[self.row_number] = [getattr(instance, a) for a in self._attributes]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        # What Resource.import_instance does (each field's widget cleans its cell, a blank
        # keeps the stored value), without its per-cell indirections: this runs 100,000 times
        # for 10,000 rows.
        for column, attribute, widget in self._cell_fields:
            try:
                value = widget.clean(row[column], row=row)
            except ValueError as error:
                errors.setdefault(column, []).append(str(error))
                continue
            if value is not None:
                setattr(instance, attribute, value)
        before = self.snapshots.get(self.row_number)
        if before is not None and "phone" in self._attributes:
            stored = before[self._attributes.index("phone")]
            if phone_key(instance.phone) == phone_key(stored):
                instance.phone = stored  # the same number, spelt another way
        self.check_row(instance, row, errors)
        for name, messages in self.row_errors.get(self.row_number, {}).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        """``Resource.import_row`` as these resources use it (``skip_diff``, no deletions, no
        instance kept in the result), without what costs on each of 10,000 rows and is never
        read here: the store-instance and delete checks, and the instance's ``str()`` that
        ``add_instance_info`` computes for the admin's log."""
        row_result = RowResult()
        try:
            self.before_import_row(row, **kwargs)
            instance, new = self.get_or_init_instance(instance_loader, row)
            self.after_init_instance(instance, new, row, **kwargs)
            row_result.import_type = (
                RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
            )
            import_validation_errors = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as error:
                import_validation_errors = error.update_error_dict(import_validation_errors)
            if self.skip_row(instance, None, row, import_validation_errors):
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, import_validation_errors)
                self.save_instance(instance, new, row, **kwargs)
                self.save_m2m(instance, row, **kwargs)
            row_result.object_id = instance.pk
            self.after_import_row(row, row_result, **kwargs)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except Exception as error:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(error, row=row, number=kwargs["row_number"])
            )
        return row_result

    def check_row(self, instance, row, errors):
        """Rules that span several cells (scope, keys found elsewhere): add to ``errors``."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        before = self.snapshots.get(self.row_number)
        return before == [getattr(instance, a) for a in self._attributes]

    def get_bulk_update_fields(self):
        return [a for a in self._attributes if a != "id"]

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress and (self.row_number % 200 == 0 or self.row_number == self.total):
            self.progress(self.row_number, self.total)

    def import_data(self, dataset, **kwargs):
        self._columns = set(dataset.headers or ())
        self._cell_fields = [
            (f.column_name, f.attribute, f.widget)
            for f in self.get_import_fields()
            if f.attribute and not f.readonly and f.column_name in self._columns
        ]
        self._attributes = [
            getattr(f.widget, "attname", None) or f.attribute
            for f in self.get_import_fields()
            if f.attribute and f.column_name in self._columns
        ]
        return super().import_data(dataset, **kwargs)


class FKWidget(LookupWidget):
    """A cached lookup whose value is compared through its ``_id`` attribute."""

    def __init__(self, lookup, attname, required=False):
        super().__init__(lookup, required=required)
        self.attname = attname


def _territory_lookups(user):
    """Territories the importer may write into: by normalised name and by code."""
    grants = grants_for(user)
    territories = Territory.objects.only("id", "name", "code", "path", "depth")
    if not grants.everything:
        if not grants.territory_paths:
            territories = territories.none()
        else:
            from django.db.models import Q

            condition = Q()
            for path in grants.territory_paths:
                condition |= Q(path__startswith=path)
            territories = territories.filter(condition)
    by_name, by_code = defaultdict(list), {}
    for territory in territories:
        by_name[normalise_name(territory.name)].append(territory)
        by_code[territory.code.casefold()] = territory
    return by_name, by_code


class OrganisationResource(SheetResource):
    name = _field("name", TextWidget(200, required=True))
    name_ar = _field("name_ar", TextWidget(200))
    acronym = _field("acronym", TextWidget(30))
    registration_number = _field("registration_number", TextWidget(50))
    kind = _field("kind", KindWidget())
    territory = _field("territory", None)
    year_founded = _field("year_founded", YearWidget(earliest=1850))
    members_count = _field("members_count", CountWidget())
    women_led = _field("women_led", YesNoWidget())
    youth_led = _field("youth_led", YesNoWidget())
    phone = _field("phone", PhoneWidget())
    email = _field("email", EmailWidget())
    contact_name = _field("contact_name", TextWidget(150))
    address = _field("address", TextWidget(255))
    website = _field("website", URLWidget())

    class Meta:
        model = Organisation
        fields = (
            "name",
            "name_ar",
            "acronym",
            "registration_number",
            "kind",
            "territory",
            "year_founded",
            "members_count",
            "women_led",
            "youth_led",
            "phone",
            "email",
            "contact_name",
            "address",
            "website",
        )
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["territory"].widget = FKWidget(
            self.find_territory, "territory_id", required=True
        )

    def key_label(self):
        return _("same organisation: same registration number, or same name in the same commune")

    def prepare(self, dataset):
        self.territories_by_name, self.territories_by_code = _territory_lookups(self.user)
        self.visible = {}
        self.by_number, self.by_name = {}, {}
        for organisation in visible_to(self.user, Organisation.objects.all()):
            self.visible[organisation.pk] = organisation
            if organisation.registration_number:
                self.by_number[organisation.registration_number.casefold()] = organisation
            self.by_name[(normalise_name(organisation.name), organisation.territory_id)] = (
                organisation
            )
        # Registration numbers are unique everywhere: one held outside the importer's scope
        # is refused (without saying whose it is).
        numbers = {
            as_text(v).casefold()
            for v in (
                dataset["registration_number"] if "registration_number" in dataset.headers else []
            )
            if not blank(v)
        }
        self.numbers_elsewhere = set()
        if numbers:
            taken = Organisation.objects.exclude(pk__in=list(self.visible)).exclude(
                registration_number=""
            )
            self.numbers_elsewhere = {
                n.casefold() for n in taken.values_list("registration_number", flat=True)
            } & numbers

    def find_territory(self, text):
        territory = self.territories_by_code.get(text.casefold())
        if territory is not None:
            return territory
        found = self.territories_by_name.get(normalise_name(text), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(
                _(
                    "Several places are named « %(name)s » in your territory: write the code of "
                    "the one you mean (%(codes)s)."
                )
                % {"name": text, "codes": ", ".join(t.code for t in found)}
            )
        raise ValueError(
            _(
                "« %(name)s » is not a commune of your territory: check the spelling, or ask an "
                "administrator to import it if it lies outside your territory."
            )
            % {"name": text}
        )

    def _name_key(self, row):
        name = row.get("name")
        if blank(name) or blank(row.get("territory")):
            return None
        territory = _first_error(self.find_territory, as_text(row["territory"]))
        if territory is None:
            return None
        return ("name", normalise_name(as_text(name)), territory.pk)

    def row_key(self, row):
        number = _first_error(TextWidget(50).clean, row.get("registration_number"))
        if number:
            return ("number", number.casefold())
        return self._name_key(row)

    def duplicate_keys(self, row, key):
        keys = [(key, True)] if key is not None and key[0] == "number" else []
        name_key = self._name_key(row)
        return keys + ([(name_key, False)] if name_key else [])

    def key_field(self, row):
        return "registration_number" if not blank(row.get("registration_number")) else "name"

    def existing(self, row, key):
        if key[0] == "number":
            found = self.by_number.get(key[1])
            if found is not None:
                return found
            territory = _first_error(self.find_territory, as_text(row.get("territory") or ""))
            name = row.get("name")
            if territory is None or blank(name):
                return None
            found = self.by_name.get((normalise_name(as_text(name)), territory.pk))
            # A registered row never matches another number by name.
            if found is not None and found.registration_number:
                return None
            return found
        return self.by_name.get(key[1:])

    def init_instance(self, row=None):
        return Organisation(kind=Organisation.Kind.ASSOCIATION)

    def check_row(self, instance, row, errors):
        number = instance.registration_number
        if number and number.casefold() in self.numbers_elsewhere:
            errors.setdefault("registration_number", []).append(
                _(
                    "This registration number belongs to an organisation outside your territory: "
                    "check it, or ask that territory's coordinator."
                )
            )


class PersonResource(SheetResource):
    last_name = _field("last_name", TextWidget(100, required=True))
    first_name = _field("first_name", TextWidget(100, required=True))
    sex = _field("sex", SexWidget())
    birth_year = _field("birth_year", YearWidget())
    phone = _field("phone", PhoneWidget())
    email = _field("email", EmailWidget())
    function = _field("function", TextWidget(150))
    organisation = _field("organisation", None)

    class Meta:
        model = Person
        fields = (
            "last_name",
            "first_name",
            "sex",
            "birth_year",
            "phone",
            "email",
            "function",
            "organisation",
        )
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["organisation"].widget = FKWidget(
            self.find_organisation, "organisation_id", required=True
        )

    def key_label(self):
        return _("same person: same phone, same e-mail, or same name in the same organisation")

    def prepare(self, dataset):
        self.organisations = organisation_lookups(self.user)
        self.people = PeopleIndex(visible_to(self.user, Person.objects.all()))

    def find_organisation(self, text):
        return self.organisations.find(text)

    def row_key(self, row):
        self._row_keys = person_keys(row, self.find_organisation)
        return self._row_keys[0][0] if self._row_keys else None

    def duplicate_keys(self, row, key):
        return self._row_keys

    def key_field(self, row):
        for name in ("phone", "email"):
            if not blank(row.get(name)):
                return name
        return "last_name"

    def existing(self, row, key):
        return self.people.find(key)

    def init_instance(self, row=None):
        return Person()


_PHONE, _EMAIL = PhoneWidget(), EmailWidget()


def person_keys(row, find_organisation):
    """A row's person keys, strongest first: ``("phone", last 9 digits)``, ``("email",
    address)``, ``("name", normalised full name, organisation id)``, each with whether it is
    strong."""
    keys = []
    phone = _first_error(_PHONE.clean, row.get("phone"))
    if phone:
        keys.append((("phone", phone_key(phone)), True))
    email = _first_error(_EMAIL.clean, row.get("email"))
    if email:
        keys.append((("email", email), True))
    first, last, organisation = row.get("first_name"), row.get("last_name"), row.get("organisation")
    if not (blank(first) or blank(last) or blank(organisation)):
        found = _first_error(find_organisation, as_text(organisation))
        if found is not None:
            name = normalise_name(f"{as_text(first)} {as_text(last)}")
            keys.append((("name", name, found.pk), False))
    return keys


def person_key(row, find_organisation):
    """The key a row's person is looked up by (see ``person_keys``), or ``None``."""
    keys = person_keys(row, find_organisation)
    return keys[0][0] if keys else None


class PeopleIndex:
    """People by phone, e-mail and (name, organisation), read in one query."""

    def __init__(self, people):
        self.by = {}
        for person in people:
            if person.phone:
                self.by.setdefault(("phone", phone_key(person.phone)), person)
            if person.email:
                self.by.setdefault(("email", person.email.lower()), person)
            self.by.setdefault(
                (
                    "name",
                    normalise_name(f"{person.first_name} {person.last_name}"),
                    person.organisation_id,
                ),
                person,
            )

    def find(self, key):
        return self.by.get(key) if key is not None else None


class OrganisationLookups:
    """Organisations the importer may see, found by registration number, acronym or name."""

    def __init__(self, organisations):
        self.keys = defaultdict(set)
        self.by_pk = {}
        for organisation in organisations:
            self.by_pk[organisation.pk] = organisation
            for text in (organisation.name, organisation.name_ar, organisation.acronym):
                if text:
                    self.keys[normalise_name(text)].add(organisation.pk)
            if organisation.registration_number:
                self.keys[organisation.registration_number.casefold()].add(organisation.pk)

    def find(self, text):
        found = self.keys.get(text.casefold()) or self.keys.get(normalise_name(text)) or set()
        if len(found) == 1:
            return self.by_pk[next(iter(found))]
        if len(found) > 1:
            raise ValueError(
                _(
                    "Several organisations are called « %(name)s »: write the registration "
                    "number of the one you mean."
                )
                % {"name": text}
            )
        raise ValueError(
            _(
                "No organisation « %(name)s » in your territory: check the spelling, or import "
                "the organisation first (organisations sheet)."
            )
            % {"name": text}
        )


def organisation_lookups(user):
    return OrganisationLookups(
        visible_to(
            user,
            Organisation.objects.only("id", "name", "name_ar", "acronym", "registration_number"),
        )
    )


class _PersonColumns:
    """The columns that name a person on enrolment and attendance sheets (read, not stored)."""

    def person_fields(self):
        return {
            "last_name": TextWidget(100),
            "first_name": TextWidget(100),
            "phone": PhoneWidget(),
            "email": EmailWidget(),
        }

    def clean_person_columns(self, row, errors):
        for name, widget in self.person_fields().items():
            if name in row:
                try:
                    widget.clean(row[name])
                except ValueError as error:
                    errors.setdefault(name, []).append(str(error))
        if not blank(row.get("organisation")):
            try:
                self.find_organisation(as_text(row["organisation"]))
            except ValueError as error:
                errors.setdefault("organisation", []).append(str(error))

    def find_organisation(self, text):
        return self.organisations.find(text)

    def find_person(self, row):
        key = person_key(row, lambda text: self.organisations.find(text))
        if key is None and not blank(row.get("first_name")) and not blank(row.get("last_name")):
            # Without an organisation column, a name is enough if only one visible person has it.
            name = normalise_name(f"{as_text(row['first_name'])} {as_text(row['last_name'])}")
            matches = self.people_by_name.get(name, [])
            return matches[0] if len(matches) == 1 else None
        return self.people.find(key)


def _not_found_person():
    return _(
        "This person is not in the registry of your territory: import them first (people "
        "sheet), or correct their phone, e-mail or name."
    )


class EnrolmentResource(_PersonColumns, SheetResource):
    """An enrolment sheet: one person per row, in the cohort of the context or of the row's
    « Code de la cohorte »; new enrolments go through ``enrolment_create`` (capacity, closed
    cohorts)."""

    cohort = _field("cohort", None, attribute=None)
    last_name = _field("last_name", None, attribute=None)
    first_name = _field("first_name", None, attribute=None)
    phone = _field("phone", None, attribute=None)
    email = _field("email", None, attribute=None)
    organisation = _field("organisation", None, attribute=None)

    class Meta:
        model = Enrolment
        fields = ("cohort", "last_name", "first_name", "phone", "email", "organisation")
        skip_diff = True
        skip_html_diff = True

    def key_label(self):
        return _("same person in the same cohort")

    def prepare(self, dataset):
        self.organisations = organisation_lookups(self.user)
        people = list(visible_to(self.user, Person.objects.all()))
        self.people = PeopleIndex(people)
        self.people_by_name = defaultdict(list)
        for person in people:
            self.people_by_name[normalise_name(f"{person.first_name} {person.last_name}")].append(
                person
            )
        self.cohorts = {c.code.casefold(): c for c in visible_to(self.user, Cohort.objects.all())}
        self.enrolled = {
            (e.cohort_id, e.person_id): e
            for e in Enrolment.objects.filter(cohort__in=list(self.cohorts.values()))
        }

    def row_cohort(self, row):
        if not blank(row.get("cohort")):
            return self.cohorts.get(as_text(row["cohort"]).casefold())
        return self.context.get("cohort")

    def row_key(self, row):
        person, cohort = self.find_person(row), self.row_cohort(row)
        if person is None or cohort is None:
            return None
        return (cohort.pk, person.pk)

    def key_field(self, row):
        return "last_name"

    def existing(self, row, key):
        return self.enrolled.get(key)

    def init_instance(self, row=None):
        return Enrolment()

    def check_row(self, instance, row, errors):
        self.clean_person_columns(row, errors)
        cohort = self.row_cohort(row)
        if cohort is None:
            if blank(row.get("cohort")):
                errors.setdefault("cohort", []).append(_("Which cohort? Fill in the cohort code."))
            else:
                errors.setdefault("cohort", []).append(
                    _("No cohort « %(code)s » among yours: check the code.")
                    % {"code": as_text(row["cohort"])}
                )
        person = self.find_person(row)
        if person is None and not any(n in errors for n in ("last_name", "first_name")):
            errors.setdefault("last_name", []).append(_not_found_person())
        if instance.pk is None and person is not None and cohort is not None:
            instance.cohort, instance.person = cohort, person
            instance.organisation = person.organisation

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and instance.pk is not None

    def do_instance_save(self, instance, is_create):
        enrolment_create(
            cohort=instance.cohort, person=instance.person, organisation=instance.organisation
        )

    def import_data(self, dataset, **kwargs):
        self._columns, self._attributes, self._cell_fields = set(dataset.headers or ()), [], []
        return resources.ModelResource.import_data(self, dataset, **kwargs)


class AttendanceResource(_PersonColumns, SheetResource):
    """The filled sign-in sheet of one session (``context["session"]``): each row names an
    enrolment by the code the printed sheet carries, or by the person's phone, e-mail or name;
    marks P / A / E are recorded through ``attendance_record``, as the roll call does."""

    code = _field("code", None, attribute=None)
    last_name = _field("last_name", None, attribute=None)
    first_name = _field("first_name", None, attribute=None)
    phone = _field("phone", None, attribute=None)
    email = _field("email", None, attribute=None)
    organisation = _field("organisation", None, attribute=None)
    status = _field("status", AttendanceStatusWidget())

    class Meta:
        model = Attendance
        fields = ("code", "last_name", "first_name", "phone", "email", "organisation", "status")
        skip_diff = True
        skip_html_diff = True

    def key_label(self):
        return _("same person")

    def prepare(self, dataset):
        self.session = self.context["session"]
        enrolments = list(
            visible_to(
                self.user, Enrolment.objects.filter(cohort_id=self.session.cohort_id)
            ).select_related("person")
        )
        self.enrolments = {e.pk: e for e in enrolments}
        by_person = {e.person_id: e for e in enrolments}
        self.by_person = by_person
        people = [e.person for e in enrolments]
        self.people = PeopleIndex(people)
        self.people_by_name = defaultdict(list)
        for person in people:
            self.people_by_name[normalise_name(f"{person.first_name} {person.last_name}")].append(
                person
            )
        self.organisations = organisation_lookups(self.user)
        self.marks = {a.enrolment_id: a for a in Attendance.objects.filter(session=self.session)}

    def row_enrolment(self, row):
        if not blank(row.get("code")):
            pk = enrolment_pk_from_code(as_text(row["code"]))
            return self.enrolments.get(pk) if pk else None
        person = self.find_person(row)
        return self.by_person.get(person.pk) if person else None

    def row_key(self, row):
        enrolment = self.row_enrolment(row)
        return enrolment.pk if enrolment else None

    def key_field(self, row):
        return "code" if not blank(row.get("code")) else "last_name"

    def existing(self, row, key):
        return self.marks.get(key)

    def init_instance(self, row=None):
        return Attendance(session=self.session)

    def check_row(self, instance, row, errors):
        self.clean_person_columns(row, errors)
        enrolment = self.row_enrolment(row)
        if enrolment is None:
            if not blank(row.get("code")):
                errors.setdefault("code", []).append(
                    _(
                        "The code « %(code)s » names no one enrolled in this session's cohort: "
                        "copy it again from the printed sheet, or clear it and give the name."
                    )
                    % {"code": as_text(row["code"])}
                )
            elif not any(n in errors for n in ("last_name", "first_name")):
                errors.setdefault("last_name", []).append(
                    _(
                        "This person is not enrolled in this session's cohort: check the name, "
                        "phone or e-mail, or enrol them first."
                    )
                )
            return
        if enrolment.withdrawn_on is not None and enrolment.withdrawn_on <= self.session.date:
            errors.setdefault("status", []).append(
                _("This person withdrew from the cohort before this session: leave the cell empty.")
            )
        instance.enrolment = enrolment

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if blank(row.get("status")):
            return True  # nothing marked: nothing to record
        return instance.pk is not None and self.snapshots.get(self.row_number) == [instance.status]

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self.snapshots[self.row_number] = [instance.status]

    def do_instance_save(self, instance, is_create):
        attendance_record(
            session=self.session,
            enrolment=instance.enrolment,
            status=instance.status,
            by=self.user,
        )

    def import_data(self, dataset, **kwargs):
        self._columns, self._attributes = set(dataset.headers or ()), ["status"]
        self._cell_fields = [("status", "status", self.fields["status"].widget)]
        return resources.ModelResource.import_data(self, dataset, **kwargs)


RESOURCES = {
    "organisations": OrganisationResource,
    "people": PersonResource,
    "enrolments": EnrolmentResource,
    "attendance": AttendanceResource,
}
