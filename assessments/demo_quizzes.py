"""The demo world's knowledge tests, from the YAML files in ``quiz_demo/``, and their results,
made through the same services a participant and a trainer use.

- Lokossa workshop (Mono, 25 agents, 20-22 November 2024): a pre-test and a post-test on each of
  its two themes (social mobilisation; monitoring against the annual work plan), in French with
  Arabic and English copies. Theme 1 was taken on paper and typed in question by question;
  theme 2's pre-test on paper, its post-test online. Two agents who arrived late have no
  pre-test on theme 2.
- Takwia (Moulay Yacoub): pre and post-tests of the first four modules; modules 1 and 2 taken
  online, modules 3 and 4 on paper with the total score typed in; about one delegate in ten
  missed a pre-test, a few missed a post-test.

Deterministic (seeded) and idempotent: an existing result is left as it is."""

import random
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model

from assessments import quiz_services
from assessments.models import Attempt, Quiz
from assessments.quiz_content import quiz_create, quiz_translation_ensure
from associations.demo import MONO_WORKSHOP_CODE, TAKWIA_CODE
from associations.models import Cohort
from courses.models import ModulePage, ProgrammePage

DATA = Path(__file__).parent / "quiz_demo"
SEED = "renfort-quizzes-2026"
# (file, how each test was taken: "online", "paper-grid" (answers typed) or "paper-score")
PLAN = {
    MONO_WORKSHOP_CODE: (
        ("mono-01-mobilisation.yaml", {"pre": "paper-grid", "post": "paper-grid"}),
        ("mono-02-suivi-pta.yaml", {"pre": "paper-grid", "post": "online"}),
    ),
    TAKWIA_CODE: (
        ("takwia-01-cadre-juridique.yaml", {"pre": "online", "post": "online"}),
        ("takwia-02-gouvernance.yaml", {"pre": "online", "post": "online"}),
        ("takwia-03-planification.yaml", {"pre": "paper-score", "post": "paper-score"}),
        ("takwia-04-conception-projet.yaml", {"pre": "paper-score", "post": "paper-score"}),
    ),
}


INSTRUCTIONS = {
    "fr": "Cochez la bonne réponse ; plusieurs cases quand la question le dit.",
    "ar": "ضع علامة على الجواب الصحيح؛ عدة خانات حين يشير السؤال إلى ذلك.",
    "en": "Tick the right answer; several boxes where the question says so.",
}


def _items(spec, language="fr"):
    items = []
    for question in spec["questions"]:
        item = {"kind": question["kind"], "text": question["text"][language]}
        if question["kind"] == "true_false":
            item["answer"] = question["answer"]
        else:
            item["choices"] = [
                {"text": c[language], "correct": c.get("correct", False)}
                for c in question["choices"]
            ]
        items.append(item)
    return items


def _quizzes(spec):
    """The pre- and post-test of the spec's module (made, with their translations, if missing);
    ``None`` when the module is not in the database."""
    programme = ProgrammePage.objects.filter(
        slug=spec["programme"], locale__language_code="fr"
    ).first()
    if programme is None:
        return None, 0
    module = ModulePage.objects.child_of(programme).filter(slug=spec["module"]).first()
    if module is None:
        return None, 0
    quizzes, made = {}, 0
    for kind, label in (("pre", "Pré-test"), ("post", "Post-test")):
        quiz = Quiz.objects.filter(module=module, kind=kind, locale=module.locale).first()
        if quiz is None:
            quiz = quiz_create(
                module=module,
                kind=kind,
                title=f"{label} · {spec['title']['fr']}",
                items=_items(spec),
                pass_mark=spec["pass_mark"],
                instructions=INSTRUCTIONS["fr"],
            )
            made += 1
        for language, prefix in (
            ("ar", {"pre": "اختبار قبلي", "post": "اختبار بعدي"}),
            ("en", {"pre": "Pre-test", "post": "Post-test"}),
        ):
            if language in spec["title"]:
                quiz_translation_ensure(
                    quiz=quiz,
                    language_code=language,
                    title=f"{prefix[kind]} · {spec['title'][language]}",
                    instructions=INSTRUCTIONS[language],
                    texts=[
                        {
                            "text": q["text"][language],
                            "choices": [c[language] for c in q.get("choices", [])],
                        }
                        for q in spec["questions"]
                    ],
                )
        quizzes[kind] = quiz
    return quizzes, made


def _answers(rng, quiz, proficiency):
    """Answers of someone who gets each question right with probability ``proficiency``."""
    answers = {}
    for block in quiz.questions:
        if block.block_type == "true_false":
            right = block.value["answer"]
            wrong = "false" if right == "true" else "true"
            answers[block.id] = [right if rng.random() < proficiency else wrong]
            continue
        choices = list(block.value["choices"].bound_blocks)
        correct = [c.id for c in choices if c.value["correct"]]
        if rng.random() < proficiency:
            answers[block.id] = correct
        else:
            answers[block.id] = [rng.choice([c.id for c in choices if c.id not in correct])]
    return answers


def _record(rng, how, quiz, enrolment, proficiency, by):
    if how == "online":
        attempt = quiz_services.attempt_start(quiz=quiz, enrolment=enrolment)
        for question_id, chosen in _answers(rng, quiz, proficiency).items():
            quiz_services.answer_save(attempt=attempt, question_id=question_id, chosen=chosen)
        quiz_services.attempt_submit(attempt=attempt)
    elif how == "paper-grid":
        quiz_services.paper_result_record(
            quiz=quiz, enrolment=enrolment, by=by, answers=_answers(rng, quiz, proficiency)
        )
    else:
        score = round(min(100, max(0, rng.gauss(proficiency * 100, 8))))
        quiz_services.paper_result_record(quiz=quiz, enrolment=enrolment, by=by, score=score)


def build_quizzes(world):
    """Quizzes and results of the Lokossa workshop and of Takwia's first four modules."""
    quizzes_total = quizzes_made = results_made = 0
    results_total = 0
    for code, files in PLAN.items():
        cohort = Cohort.objects.filter(code=code).select_related("programme").first()
        if cohort is None or cohort.programme_id is None:
            continue
        trainer = cohort.facilitators.order_by("pk").first() or get_user_model().objects.first()
        enrolments = list(
            cohort.enrolments.filter(withdrawn_on__isnull=True)
            .select_related("cohort")
            .order_by("pk")
        )
        for filename, how in files:
            spec = yaml.safe_load((DATA / filename).read_text(encoding="utf-8"))
            quizzes, made = _quizzes(spec)
            if quizzes is None:
                continue
            quizzes_total += 2
            quizzes_made += made
            done = set(
                Attempt.objects.filter(
                    quiz__in=quizzes.values(), enrolment__in=enrolments
                ).values_list("quiz_id", "enrolment_id")
            )
            for index, enrolment in enumerate(enrolments):
                rng = random.Random(f"{SEED}-{filename}-{enrolment.person_id}")
                pre_level = rng.uniform(0.25, 0.6)
                post_level = min(0.97, pre_level + rng.uniform(0.15, 0.4))
                missing_pre = (
                    index in (3, 17)
                    if code == MONO_WORKSHOP_CODE and "02" in filename
                    else code == TAKWIA_CODE and rng.random() < 0.1
                )
                missing_post = code == TAKWIA_CODE and rng.random() < 0.05
                for kind, level, missing in (
                    ("pre", pre_level, missing_pre),
                    ("post", post_level, missing_post),
                ):
                    if missing:
                        continue
                    results_total += 1
                    if (quizzes[kind].pk, enrolment.pk) in done:
                        continue
                    _record(rng, how[kind], quizzes[kind], enrolment, level, trainer)
                    results_made += 1
    return [
        ("Tests de connaissances (pré et post)", quizzes_total, quizzes_made, 0),
        ("Résultats de tests (en ligne et papier)", results_total, results_made, 0),
    ]
