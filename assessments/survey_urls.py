from django.urls import path

from assessments import survey_views as views

app_name = "surveys"

urlpatterns = [
    path("", views.my_surveys, name="mine"),
    path("<int:pk>/repondre/", views.survey_answer, name="answer"),
    path("<int:pk>/papier/", views.survey_paper, name="paper"),
    path("<int:pk>/resultats/", views.survey_results_page, name="results"),
    path("cohortes/<int:cohort_pk>/ouvrir/", views.survey_open_page, name="open"),
    path("programmes/<int:pk>/", views.programme_results_page, name="programme"),
]
