from django.urls import path

from associations import views
from associations.sheets import urls as sheets_urls

app_name = "associations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("cohortes/", views.cohort_list, name="cohort_list"),
    path("cohortes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohortes/<int:pk>/inscrire/", views.cohort_enrol, name="cohort_enrol"),
    path(
        "cohortes/<int:pk>/inscrire/personnes/",
        views.cohort_enrol_search,
        {"kind": "person"},
        name="cohort_enrol_search_person",
    ),
    path(
        "cohortes/<int:pk>/inscrire/organisations/",
        views.cohort_enrol_search,
        {"kind": "organisation"},
        name="cohort_enrol_search_organisation",
    ),
    path(
        "inscriptions/<int:pk>/retrait/",
        views.enrolment_withdrawal,
        name="enrolment_withdrawal",
    ),
    path("seances/<int:pk>/appel/", views.roll_call, name="roll_call"),
    path("seances/<int:pk>/emargement.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("organisations/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
]

# Spreadsheets: exports of every list, import pages (associations/sheets/).
urlpatterns += sheets_urls.urlpatterns
