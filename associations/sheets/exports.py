"""Every list a coordinator, trainer or focal point sees, exported as XLSX or CSV.

The rows come from the same scoped selectors as the list pages; the columns are
django-import-export resources whose headers are translated in the page's language; every cell,
headers included, goes through ``escape_cell`` (import-export's own escaping covers only ``=``).
Rows are streamed: CSV straight to the response, XLSX through openpyxl's write-only workbook,
so memory stays flat with the size of the list.
"""

import csv
import datetime
import decimal
import tempfile

from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from associations.models import Attendance, Cohort, Organisation, Person
from associations.scope import grants_for, visible_to
from associations.selectors import enrolment_module_pairs
from associations.sheets.formulas import escape_cell
from associations.sheets.headers import columns_of

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Rows read per query: big enough that a list of a few thousand rows costs the same queries as
# one of ten, small enough that a chunk of rows (with their prefetched relations) stays small.
CHUNK_SIZE = 2000


def may_export(user):
    """Coordinators, trainers, focal points and administrators export the lists they see;
    a participant (who sees only their own record) has no list to export."""
    grants = grants_for(user)
    return bool(
        grants.everything
        or grants.territory_paths
        or grants.organisation_ids
        or grants.trainer_user_id
    )


def export_filename(what, fmt, *, today=None):
    """``organisations-2026-11-25.xlsx``: what the file holds, and the day it was made."""
    day = today or timezone.localdate()
    return f"{slugify(what)}-{day:%Y-%m-%d}.{fmt}"


def labels(choices):
    """``{value: translated label}`` of a ``TextChoices``, in the active language."""
    return {value: str(label) for value, label in choices.choices}


class ExportResource(resources.Resource):
    """A resource for exporting only: columns declared with translated headers, rows read in
    chunks of ``CHUNK_SIZE``. A column the import of ``import_kind`` knows is headed as the
    import's template heads it, so an exported file comes back in as it is."""

    import_kind = None

    class Meta:
        chunk_size = CHUNK_SIZE

    def get_export_headers(self, selected_fields=None):
        language = get_language() or "fr"
        known = {c.name: c for c in columns_of(self.import_kind)} if self.import_kind else {}
        return [
            known[name].header(language) if name in known else force_str(field.column_name)
            for name, field in ((self.get_field_name(f), f) for f in self.get_export_fields())
        ]

    def rows(self, queryset, *, native):
        """The header row, then one row per object, every cell escaped. ``native`` keeps
        numbers and dates as such (for XLSX); otherwise every cell is text (for CSV)."""
        yield [escape_cell(header) for header in self.get_export_headers()]
        for obj in self.iter_queryset(queryset):
            yield [
                escape_cell(value) for value in self.export_resource(obj, force_native_type=native)
            ]


class OrganisationExport(ExportResource):
    import_kind = "organisations"

    name = Field(attribute="name", column_name=gettext_lazy("Name of the organisation"))
    name_ar = Field(attribute="name_ar", column_name=gettext_lazy("Name in Arabic"))
    acronym = Field(attribute="acronym", column_name=gettext_lazy("Acronym"))
    registration_number = Field(
        attribute="registration_number", column_name=gettext_lazy("Registration number")
    )
    kind = Field(column_name=gettext_lazy("Kind"))
    territory = Field(attribute="territory__name", column_name=gettext_lazy("Territory"))
    territory_code = Field(attribute="territory__code", column_name=gettext_lazy("Territory code"))
    domains = Field(column_name=gettext_lazy("Domains of action"))
    status = Field(column_name=gettext_lazy("Status"))
    year_founded = Field(attribute="year_founded", column_name=gettext_lazy("Year founded"))
    members_count = Field(attribute="members_count", column_name=gettext_lazy("Members"))
    women_led = Field(column_name=gettext_lazy("Women-led"))
    youth_led = Field(column_name=gettext_lazy("Youth-led"))
    contact_name = Field(attribute="contact_name", column_name=gettext_lazy("Contact person"))
    phone = Field(attribute="phone", column_name=gettext_lazy("Phone"))
    email = Field(attribute="email", column_name=gettext_lazy("E-mail"))
    address = Field(attribute="address", column_name=gettext_lazy("Address"))
    website = Field(attribute="website", column_name=gettext_lazy("Website"))

    def __init__(self):
        super().__init__()
        # Labels translated once per file, not once per row (get_FOO_display is slow).
        self.kinds = labels(Organisation.Kind)
        self.statuses = labels(Organisation.Status)
        self.yes, self.no = _("Yes"), _("No")

    def dehydrate_kind(self, organisation):
        return self.kinds.get(organisation.kind, organisation.kind)

    def dehydrate_status(self, organisation):
        return self.statuses.get(organisation.status, organisation.status)

    def dehydrate_domains(self, organisation):
        return ", ".join(domain.name for domain in organisation.domains.all())

    def dehydrate_women_led(self, organisation):
        return self.yes if organisation.women_led else self.no

    def dehydrate_youth_led(self, organisation):
        return self.yes if organisation.youth_led else self.no


class PersonExport(ExportResource):
    import_kind = "people"

    last_name = Field(attribute="last_name", column_name=gettext_lazy("Last name"))
    first_name = Field(attribute="first_name", column_name=gettext_lazy("First name"))
    sex = Field(column_name=gettext_lazy("Sex"))
    birth_year = Field(attribute="birth_year", column_name=gettext_lazy("Year of birth"))
    age_band = Field(attribute="age_band", column_name=gettext_lazy("Age band"))
    phone = Field(attribute="phone", column_name=gettext_lazy("Phone"))
    email = Field(attribute="email", column_name=gettext_lazy("E-mail"))
    function = Field(attribute="function", column_name=gettext_lazy("Function"))
    organisation = Field(column_name=gettext_lazy("Organisation"))
    registration_number = Field(column_name=gettext_lazy("Registration number of the organisation"))

    def __init__(self):
        super().__init__()
        self.sexes = labels(Person.Sex)

    def dehydrate_sex(self, person):
        return self.sexes.get(person.sex, person.sex)

    def _organisation(self, person):
        # A person may have moved to an organisation the viewer may not see: leave it out.
        return person.organisation if person.organisation_visible else None

    def dehydrate_organisation(self, person):
        organisation = self._organisation(person)
        return organisation.name if organisation else ""

    def dehydrate_registration_number(self, person):
        organisation = self._organisation(person)
        return organisation.registration_number if organisation else ""


def people_export_queryset(user, people):
    """``people`` (already scoped) with whether ``user`` may see each one's organisation."""
    return people.annotate(
        organisation_visible=Exists(
            visible_to(user, Organisation.objects.filter(pk=OuterRef("organisation_id")))
        )
    )


class CohortExport(ExportResource):
    code = Field(attribute="code", column_name=gettext_lazy("Code"))
    title = Field(attribute="title", column_name=gettext_lazy("Title"))
    programme = Field(attribute="programme__title", column_name=gettext_lazy("Programme"))
    territory = Field(attribute="territory__name", column_name=gettext_lazy("Territory"))
    start_date = Field(attribute="start_date", column_name=gettext_lazy("Start date"))
    end_date = Field(attribute="end_date", column_name=gettext_lazy("End date"))
    venue = Field(attribute="venue", column_name=gettext_lazy("Venue"))
    capacity = Field(attribute="capacity", column_name=gettext_lazy("Capacity"))
    enrolled = Field(attribute="enrolled", column_name=gettext_lazy("Enrolled"))
    status = Field(column_name=gettext_lazy("Status"))
    attendance_threshold = Field(
        attribute="attendance_threshold", column_name=gettext_lazy("Attendance threshold (%)")
    )
    partners = Field(column_name=gettext_lazy("Funding partners"))

    def __init__(self):
        super().__init__()
        self.statuses = labels(Cohort.Status)

    def dehydrate_status(self, cohort):
        return self.statuses.get(cohort.status, cohort.status)

    def dehydrate_partners(self, cohort):
        return ", ".join(str(partner) for partner in cohort.partners.all())


def local_datetime(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class EnrolmentExport(ExportResource):
    """A cohort's class list, with each person's attendance as the cohort page shows it."""

    last_name = Field(attribute="person__last_name", column_name=gettext_lazy("Last name"))
    first_name = Field(attribute="person__first_name", column_name=gettext_lazy("First name"))
    sex = Field(column_name=gettext_lazy("Sex"))
    phone = Field(attribute="person__phone", column_name=gettext_lazy("Phone"))
    email = Field(attribute="person__email", column_name=gettext_lazy("E-mail"))
    function = Field(attribute="person__function", column_name=gettext_lazy("Function"))
    organisation = Field(
        attribute="organisation__name", column_name=gettext_lazy("Organisation represented")
    )
    enrolled_at = Field(column_name=gettext_lazy("Enrolled on"))
    withdrawn_on = Field(attribute="withdrawn_on", column_name=gettext_lazy("Withdrawn on"))
    withdrawal_reason = Field(
        attribute="withdrawal_reason", column_name=gettext_lazy("Reason for withdrawal")
    )
    replaces = Field(column_name=gettext_lazy("Replaces"))
    sessions_held = Field(attribute="sessions_held", column_name=gettext_lazy("Sessions held"))
    sessions_present = Field(
        attribute="sessions_present", column_name=gettext_lazy("Sessions present")
    )
    sessions_excused = Field(
        attribute="sessions_excused", column_name=gettext_lazy("Sessions excused")
    )
    attendance_rate = Field(column_name=gettext_lazy("Attendance rate (%)"))
    modules_followed = Field(column_name=gettext_lazy("Modules followed in person"))

    def __init__(self, enrolment_ids=()):
        super().__init__()
        self.followed = enrolment_module_pairs(enrolment_ids)
        self.sexes = labels(Person.Sex)

    def dehydrate_sex(self, enrolment):
        return self.sexes.get(enrolment.person.sex, enrolment.person.sex)

    def dehydrate_enrolled_at(self, enrolment):
        return local_datetime(enrolment.enrolled_at).date()

    def dehydrate_replaces(self, enrolment):
        return str(enrolment.replaces.person) if enrolment.replaces_id else ""

    def dehydrate_attendance_rate(self, enrolment):
        rate = enrolment.attendance_rate
        return None if rate is None else round(rate, 1)

    def dehydrate_modules_followed(self, enrolment):
        return len(self.followed.get(enrolment.pk, ()))


ATTENDANCE_LETTERS = {
    Attendance.Status.PRESENT: gettext_lazy("P"),
    Attendance.Status.ABSENT: gettext_lazy("A"),
    Attendance.Status.EXCUSED: gettext_lazy("E"),
}


class AttendanceGridExport(ExportResource):
    """A cohort's attendance grid: one row per person, one column per session (P, A, E or
    empty), then the attendance rate."""

    last_name = Field(attribute="person__last_name", column_name=gettext_lazy("Last name"))
    first_name = Field(attribute="person__first_name", column_name=gettext_lazy("First name"))
    organisation = Field(
        attribute="organisation__name", column_name=gettext_lazy("Organisation represented")
    )

    def __init__(self, *, sessions, marks):
        super().__init__()
        self.marks = marks
        for session in sessions:
            label = f"{session.date:%d/%m/%Y} {session.get_part_display()}"
            if session.cancelled:
                label += f" ({_('cancelled')})"
            self.fields[f"session_{session.pk}"] = Field(
                column_name=label, dehydrate_method=self._mark_of(session.pk)
            )
        self.fields["attendance_rate"] = Field(
            column_name=gettext_lazy("Attendance rate (%)"),
            dehydrate_method=lambda enrolment: (
                None if enrolment.attendance_rate is None else round(enrolment.attendance_rate, 1)
            ),
        )

    def _mark_of(self, session_pk):
        def mark(enrolment):
            status = self.marks.get((enrolment.pk, session_pk))
            return str(ATTENDANCE_LETTERS[status]) if status else ""

        return mark


def attendance_grid_resource(user, cohort, enrolments):
    """The grid's resource for ``enrolments`` (a cohort's enrolments ``user`` may see): the
    marks of all of them, read in one query."""
    marks = {
        (enrolment_id, session_id): status
        for enrolment_id, session_id, status in visible_to(
            user,
            Attendance.objects.filter(
                session__cohort=cohort, enrolment__in=enrolments.values("pk")
            ),
        ).values_list("enrolment_id", "session_id", "status")
    }
    return AttendanceGridExport(sessions=list(cohort.sessions.all()), marks=marks)


# Writers -------------------------------------------------------------------------------------


def _xlsx_cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return local_datetime(value)
    return value


def xlsx_file(rows, *, title):
    """The rows as an XLSX workbook, written row by row to a temporary file (returned open at
    its start): a write-only workbook keeps no rows in memory. Arabic pages get a right-to-left
    sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    if (get_language() or "").startswith("ar"):
        sheet.sheet_view.rightToLeft = True
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output


class _Line:
    """A file-like object whose ``write`` hands back what it was given (for csv.writer)."""

    def write(self, text):
        return text


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float | decimal.Decimal):
        # 33,3 in French and Arabic: what a spreadsheet of that language reads as a number.
        return formats.number_format(value, use_l10n=True)
    return value


def csv_chunks(rows):
    """The rows as CSV, one encoded line at a time: UTF-8 with a byte-order mark (so Excel
    keeps Arabic letters) and ``;`` between cells (what French Excel opens in columns)."""
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row]).encode()
