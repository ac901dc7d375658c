"""URLs of the spreadsheet pages, part of the ``associations`` namespace."""

from django.urls import path, register_converter

from associations.sheets import views


class ExportFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class TemplateFormat(ExportFormat):
    regex = "xlsx|csv|ods"


register_converter(ExportFormat, "exportfmt")
register_converter(TemplateFormat, "templatefmt")

urlpatterns = [
    path(
        "organisations/export.<exportfmt:fmt>",
        views.organisation_export,
        name="organisation_export",
    ),
    path("personnes/export.<exportfmt:fmt>", views.person_export, name="person_export"),
    path("cohortes/export.<exportfmt:fmt>", views.cohort_export, name="cohort_export"),
    path(
        "cohortes/<int:pk>/inscriptions.<exportfmt:fmt>",
        views.enrolment_export,
        name="enrolment_export",
    ),
    path(
        "cohortes/<int:pk>/presences.<exportfmt:fmt>",
        views.attendance_export,
        name="attendance_export",
    ),
    path("imports/", views.import_start, name="import_start"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/etat/", views.import_status, name="import_status"),
    path("imports/<int:pk>/correspondance/", views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/rejets.xlsx", views.import_rejected, name="import_rejected"),
    path(
        "imports/modeles/<str:kind>.<templatefmt:fmt>",
        views.import_template,
        name="import_template",
    ),
    path(
        "seances/<int:pk>/feuille-presence.<templatefmt:fmt>",
        views.attendance_sheet,
        name="attendance_sheet",
    ),
]
