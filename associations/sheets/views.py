"""Spreadsheet pages: the exports of every list, and the import pages (upload, preview, header
mapping, confirm, progress, result)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse

from associations.scope import get_visible_or_404
from associations.selectors import (
    cohort_detail_queryset,
    cohort_enrolments,
    cohorts_for,
    organisations_for,
    people_for,
)
from associations.sheets import exports
from associations.views import _staff_or_404, in_requested_territory


def _export_response(rows, *, fmt, what, title):
    filename = exports.export_filename(what, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(rows), content_type=exports.CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        exports.xlsx_file(rows, title=title),
        as_attachment=True,
        filename=filename,
        content_type=exports.CONTENT_TYPES["xlsx"],
    )


def _exporter_or_404(user, fmt):
    if fmt not in exports.FORMATS or not exports.may_export(user):
        raise Http404


@login_required
def organisation_export(request, fmt):
    """The organisations list as the viewer sees it (same scope, territory and search)."""
    _exporter_or_404(request.user, fmt)
    organisations, _territory = in_requested_territory(
        request, organisations_for(request.user).prefetch_related("domains")
    )
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    rows = exports.OrganisationExport().rows(organisations, native=fmt == "xlsx")
    return _export_response(rows, fmt=fmt, what="organisations", title="organisations")


@login_required
def person_export(request, fmt):
    _exporter_or_404(request.user, fmt)
    people, _territory = in_requested_territory(request, people_for(request.user))
    people = exports.people_export_queryset(request.user, people).order_by(
        "last_name", "first_name", "pk"
    )
    rows = exports.PersonExport().rows(people, native=fmt == "xlsx")
    return _export_response(rows, fmt=fmt, what="personnes", title="personnes")


@login_required
def cohort_export(request, fmt):
    _exporter_or_404(request.user, fmt)
    cohorts, _territory = in_requested_territory(request, cohorts_for(request.user))
    cohorts = cohorts.select_related("programme").prefetch_related("partners")
    rows = exports.CohortExport().rows(cohorts, native=fmt == "xlsx")
    return _export_response(rows, fmt=fmt, what="cohortes", title="cohortes")


def _cohort_for_export(request, pk, fmt):
    """Class lists and grids are for those who see the cohort page: its trainers, the
    coordinators of its territory, administrators."""
    _exporter_or_404(request.user, fmt)
    _staff_or_404(request.user)
    return get_visible_or_404(request.user, cohort_detail_queryset(request.user), pk=pk)


@login_required
def enrolment_export(request, pk, fmt):
    """A cohort's class list with attendance, as on the cohort page."""
    cohort = _cohort_for_export(request, pk, fmt)
    enrolments = cohort_enrolments(request.user, cohort)
    resource = exports.EnrolmentExport(enrolments.values_list("pk", flat=True))
    rows = resource.rows(enrolments, native=fmt == "xlsx")
    return _export_response(rows, fmt=fmt, what=f"inscriptions-{cohort.code}", title="inscriptions")


@login_required
def attendance_export(request, pk, fmt):
    """A cohort's attendance grid: one row per person, one column per session."""
    cohort = _cohort_for_export(request, pk, fmt)
    enrolments = cohort_enrolments(request.user, cohort)
    resource = exports.attendance_grid_resource(request.user, cohort, enrolments)
    rows = resource.rows(enrolments, native=fmt == "xlsx")
    return _export_response(rows, fmt=fmt, what=f"presences-{cohort.code}", title="presences")
