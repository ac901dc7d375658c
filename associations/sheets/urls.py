"""URLs of the spreadsheet pages, part of the ``associations`` namespace."""

from django.urls import path, register_converter

from associations.sheets import views


class ExportFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "exportfmt")

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
]
