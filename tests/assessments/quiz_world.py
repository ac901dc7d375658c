"""A programme with modules and tests, for the knowledge-test and "trained" tests."""

import datetime

from assessments.models import Quiz
from assessments.quiz_content import quiz_create
from courses.models import ModulePage, ProgrammePage
from renfort.models import HomePage
from tests.factories import CohortFactory

QUESTIONS = [
    {
        "kind": "single_choice",
        "text": "Qu'est-ce que la mobilisation sociale ?",
        "choices": [
            {"text": "Une campagne publicitaire"},
            {"text": "Un processus qui engage la communauté", "correct": True},
            {"text": "Une réunion administrative"},
        ],
    },
    {
        "kind": "multiple_choice",
        "text": "Quels documents servent au suivi du PTA ?",
        "choices": [
            {"text": "Le cadre de résultats", "correct": True},
            {"text": "Les indicateurs", "correct": True},
            {"text": "Le journal officiel"},
        ],
    },
    {"kind": "true_false", "text": "Un indicateur doit être mesurable.", "answer": True},
    {"kind": "true_false", "text": "Le PTA se fait sans budget.", "answer": False},
]


def build_programme(modules=2, *, requires_post_test=False, slug="prog-quiz"):
    home = HomePage.objects.get(slug="accueil", locale__language_code="fr")
    programme = home.add_child(
        instance=ProgrammePage(title="Programme", slug=slug, requires_post_test=requires_post_test)
    )
    built = [
        programme.add_child(instance=ModulePage(title=f"Module {n}", slug=f"m{n}", number=n))
        for n in range(1, modules + 1)
    ]
    return ProgrammePage.objects.get(pk=programme.pk), built


def build_quiz(module, kind=Quiz.Kind.POST, **fields):
    return quiz_create(module=module, kind=kind, title=f"Test {kind}", items=QUESTIONS, **fields)


def cohort_of(programme, **kwargs):
    kwargs.setdefault("start_date", datetime.date(2024, 11, 1))
    return CohortFactory(programme=programme, **kwargs)


def correct_answers(quiz, wrong=0):
    """Answers to ``quiz``: all correct except the first ``wrong`` questions (left empty)."""
    from assessments.scoring import quiz_key

    key = quiz_key(quiz.questions)
    return {
        qid: ([] if i < wrong else sorted(correct))
        for i, (qid, (_k, correct)) in enumerate(key.items())
    }
