from django.urls import path

from assessments import quiz_views

app_name = "quizzes"

urlpatterns = [
    path("", quiz_views.my_tests, name="my_tests"),
    path(
        "inscriptions/<int:enrolment_pk>/<int:quiz_pk>/",
        quiz_views.quiz_start,
        name="start",
    ),
    path("tentatives/<int:pk>/", quiz_views.attempt_page, name="attempt"),
    path("tentatives/<int:pk>/reponse/", quiz_views.answer_post, name="answer"),
    path("tentatives/<int:pk>/terminer/", quiz_views.attempt_finish, name="finish"),
    path("cohortes/<int:cohort_pk>/", quiz_views.cohort_results_page, name="cohort_results"),
    path(
        "cohortes/<int:cohort_pk>/<int:quiz_pk>/saisie/",
        quiz_views.paper_grid,
        name="paper_grid",
    ),
    path(
        "cohortes/<int:cohort_pk>/<int:quiz_pk>/papier.pdf",
        quiz_views.paper_pdf,
        name="paper_pdf",
    ),
    path(
        "cohortes/<int:cohort_pk>/<int:quiz_pk>/grille/",
        quiz_views.paper_sheet,
        name="paper_sheet",
    ),
    path(
        "cohortes/<int:cohort_pk>/<int:quiz_pk>/import/",
        quiz_views.paper_import,
        name="paper_import",
    ),
]
