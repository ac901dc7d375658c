"""Spreadsheet pages: the exports of every list, and the import pages (upload, preview, header
mapping, confirm, progress, result)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations.scope import get_visible_or_404
from associations.selectors import (
    cohort_detail_queryset,
    cohort_enrolments,
    cohorts_for,
    organisations_for,
    people_for,
    sessions_for,
)
from associations.sheets import FORMATS, exports, jobs, templates
from associations.sheets.forms import (
    KIND_LABELS,
    ConfirmForm,
    HeaderMappingForm,
    ImportUploadForm,
)
from associations.sheets.headers import columns_of
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


# Imports -------------------------------------------------------------------------------------


def _importer_or_404(user):
    kinds = jobs.import_kinds_for(user)
    if not kinds:
        raise Http404
    return kinds


@login_required
def import_start(request):
    """Upload a sheet: what it holds, the file, the session or cohort it is about, and what to
    do with error rows. The file is kept and previewed; the user's recent imports are listed."""
    kinds = _importer_or_404(request.user)
    initial = {key: request.GET[key] for key in ("kind", "session", "cohort") if key in request.GET}
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        job = jobs.import_job_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            mode=form.cleaned_data["mode"],
            context=form.context(),
        )
        return redirect("associations:import_job", pk=job.pk)
    return render(
        request,
        "associations/import_start.html",
        {
            "form": form,
            "kinds": [(kind, KIND_LABELS[kind]) for kind in kinds],
            "template_formats": TEMPLATE_FORMATS,
            "template_languages": settings.LANGUAGES,
            "recent_jobs": jobs.import_jobs_for(request.user)[:10],
        },
    )


def _own_job_or_404(request, pk):
    """A job of the user's own: anyone else's is a 404, as if it did not exist."""
    _importer_or_404(request.user)
    return get_object_or_404(jobs.import_jobs_for(request.user), pk=pk)


ERROR_ROWS_SHOWN = 200


@login_required
def import_job(request, pk):
    """The job's page: progress while it runs; then the preview (with the header mapping step
    and the confirmation), or the result."""
    job = _own_job_or_404(request, pk)
    report = jobs.report_from_json(job.report or job.preview)
    context = {"job": job, "report": report, "progress": jobs.job_progress(job)}
    if report is not None:
        context["counts"] = report.counts
        context["error_rows"] = report.error_rows[:ERROR_ROWS_SHOWN]
        context["more_errors"] = max(0, len(report.error_rows) - ERROR_ROWS_SHOWN)
        context["columns"] = {column.name: column for column in columns_of(job.kind)}
    if job.status in (job.Status.PREVIEWED, job.Status.REFUSED) and report and report.unmatched:
        context["mapping_form"] = HeaderMappingForm(
            kind=job.kind,
            headers=report.unmatched,
            initial={
                f"header_{index}": job.mapping.get(header, "")
                for index, header in enumerate(report.unmatched)
            },
        )
    if job.status == job.Status.PREVIEWED:
        context["confirm_form"] = ConfirmForm(initial={"mode": job.mode})
    if job.status == job.Status.DONE:
        context["next_url"] = _where_the_rows_are(job)
    return render(request, "associations/import_job.html", context)


def _where_the_rows_are(job):
    """The page that lists what the job imported."""
    if job.kind == "organisations":
        return reverse("associations:organisation_list")
    if job.kind == "people":
        return reverse("associations:person_list")
    if job.context.get("session"):
        return reverse("associations:roll_call", args=[job.context["session"]])
    if job.context.get("cohort"):
        return reverse("associations:cohort_detail", args=[job.context["cohort"]])
    return reverse("associations:cohort_list")


@login_required
@require_POST
def import_mapping(request, pk):
    job = _own_job_or_404(request, pk)
    report = jobs.report_from_json(job.preview)
    if job.status not in (job.Status.PREVIEWED, job.Status.REFUSED) or not report:
        return redirect("associations:import_job", pk=job.pk)
    form = HeaderMappingForm(request.POST, kind=job.kind, headers=report.unmatched)
    if form.is_valid():
        jobs.import_job_map_headers(job=job, mapping=form.mapping())
    else:
        messages.error(request, _("Choose, for each column, one of the fields offered."))
    return redirect("associations:import_job", pk=job.pk)


@login_required
@require_POST
def import_confirm(request, pk):
    job = _own_job_or_404(request, pk)
    form = ConfirmForm(request.POST)
    report = jobs.report_from_json(job.preview)
    if not form.is_valid() or report is None:
        messages.error(request, _("Choose what to do with the rows that have errors."))
        return redirect("associations:import_job", pk=job.pk)
    mode = form.cleaned_data["mode"]
    if mode == job.Mode.ALL and report.error_rows:
        messages.error(
            request,
            _(
                "Nothing was imported: %(count)s rows have errors. Fix them in your file and "
                "upload it again, or choose to import the valid rows only."
            )
            % {"count": len(report.error_rows)},
        )
        return redirect("associations:import_job", pk=job.pk)
    jobs.import_job_confirm(job=job, mode=mode)
    return redirect("associations:import_job", pk=job.pk)


@login_required
def import_status(request, pk):
    """Where the job is, for the progress bar (polled every second or two)."""
    job = _own_job_or_404(request, pk)
    done, total = jobs.job_progress(job)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "running": job.is_running,
            "done": done,
            "total": total,
        }
    )


@login_required
def import_rejected(request, pk):
    """The rejected rows of the job as a sheet, with an error column, ready to fix and
    re-import."""
    job = _own_job_or_404(request, pk)
    report = jobs.report_from_json(job.report or job.preview)
    if report is None or not report.error_rows:
        raise Http404
    content, filename = jobs.rejected_rows_file(job)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


TEMPLATE_FORMATS = FORMATS
TEMPLATE_CONTENT_TYPES = {
    **exports.CONTENT_TYPES,
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@login_required
def import_template(request, kind, fmt):
    """An empty template of ``kind`` with its headers in the asked language (``?langue=ar``),
    by default the page's."""
    kinds = _importer_or_404(request.user)
    language = request.GET.get("langue") or get_language() or "fr"
    if kind not in kinds or fmt not in TEMPLATE_FORMATS:
        raise Http404
    if language not in dict(settings.LANGUAGES):
        raise Http404
    content, filename = templates.template_file(kind, language, fmt)
    response = HttpResponse(content, content_type=TEMPLATE_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def attendance_sheet(request, pk, fmt):
    """The session's attendance sheet to fill in: one row per person expected, with their code
    and names, and the marks already taken; the trainer types P, A or E and uploads it back."""
    _staff_or_404(request.user)
    session = get_visible_or_404(request.user, sessions_for(request.user), pk=pk)
    content, filename = templates.attendance_sheet(session, fmt, get_language() or "fr")
    response = HttpResponse(content, content_type=TEMPLATE_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
