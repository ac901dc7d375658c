"""The printable paper test and the cohort's answer grid (WeasyPrint), in French or Arabic (right
to left), with the sign-in sheet's shared font configuration and assets-only fetcher."""

from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi

from associations.sign_in_sheet import _fetcher, enrolment_code, font_config


def paper_test_pdf(*, cohort, quiz, questions, enrolments):
    """The test ``quiz`` (its ``questions`` as the pages show them) followed by an answer grid
    with one line per enrolment (name, code, one box per question, total)."""
    from weasyprint import HTML

    for enrolment in enrolments:
        enrolment.code = enrolment_code(enrolment.pk)
    html = render_to_string(
        "assessments/quizzes/paper_test.html",
        {
            "cohort": cohort,
            "quiz": quiz,
            "questions": questions,
            "enrolments": enrolments,
            "rtl": get_language_bidi(),
        },
    )
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(font_config=font_config())
