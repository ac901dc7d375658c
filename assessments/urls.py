from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.diagnostic_list, name="diagnostic_list"),
    path("besoins/", views.territory_needs_page, name="territory_needs"),
    path("organisations/<int:pk>/", views.organisation_page, name="organisation_page"),
    path("organisations/<int:pk>/nouveau/", views.diagnostic_start, name="diagnostic_start"),
    path("organisations/<int:pk>/plan/", views.plan_item_add, name="plan_item_add"),
    path("<int:pk>/", views.diagnostic_detail, name="diagnostic_detail"),
    path("<int:pk>/items/<int:item_pk>/", views.response_save, name="response_save"),
    path("<int:pk>/items/<int:item_pk>/preuves/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/soumettre/", views.diagnostic_submit, name="diagnostic_submit"),
    path("<int:pk>/valider/", views.diagnostic_validate, name="diagnostic_validate"),
    path("<int:pk>/corriger/", views.diagnostic_correct, name="diagnostic_correct"),
    path("<int:pk>/export.xlsx", views.diagnostic_export, name="diagnostic_export"),
    path("preuves/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("cadres/<int:pk>/export.xlsx", views.framework_export, name="framework_export"),
]
