"""The demo world's satisfaction surveys, made through the same services as the pages.

- The Lokossa workshop (Mono, 20-22 November 2024): the end-of-workshop questionnaire filled in
  on paper by 22 of its 25 agents (typed in afterwards, anonymous), rating both facilitators;
  "participants expressed their satisfaction" becomes a rate on the coordinator's page.
- The Takwia cohort: an end-of-session survey after its latest held session, answered online
  by most delegates.

Deterministic (seeded) and idempotent: a survey that already has responses is left as it is."""

import random
from datetime import date, timedelta

from assessments.models import Question, Questionnaire, Survey
from assessments.survey_services import survey_answer_record, survey_expected_answers, survey_open
from associations.demo import MONO_WORKSHOP_CODE, TAKWIA_CODE

SEED = "renfort-surveys-2026"
MONO_ANSWERS = 22  # of the 25 agents: three left before the questionnaires were handed out
TAKWIA_ANSWERS = 14

# How each section tends to be rated (weights of 1, 2, 3, 4, 5): the workshop was liked, the
# room and the length less so (three days felt short for two themes).
PROFILES = {
    Question.Section.CONTENT: (0, 1, 3, 10, 8),
    Question.Section.FACILITATION: (0, 1, 2, 8, 11),
    Question.Section.ORGANISATION: (1, 3, 6, 8, 4),
    Question.Section.USEFULNESS: (0, 0, 2, 9, 11),
}
COMMENTS = {
    0: [
        "Les exercices pratiques sur le PTA et les indicateurs.",
        "Les échanges entre guichets uniques sur leurs difficultés de terrain.",
        "La méthode pour préparer une séance de mobilisation communautaire.",
        "Les exemples concrets tirés du Mono.",
        "Le travail en groupe sur le suivi des projets.",
        "La clarté des présentations des deux formateurs.",
        "Les outils de suivi qu'on peut réutiliser dès la semaine prochaine.",
    ],
    1: [
        "Trois jours, c'est court pour deux thèmes aussi riches.",
        "Prévoir les supports imprimés dès le premier jour.",
        "La salle était chaude l'après-midi.",
        "Organiser un suivi quelques mois après l'atelier.",
        "Plus de temps pour les cas pratiques sur les indicateurs.",
        "Associer les chefs de service à la dernière journée.",
    ],
}

TAKWIA_COMMENTS = {
    0: [
        "Les modèles de procès-verbal d'assemblée générale.",
        "L'exercice sur le budget prévisionnel de l'association.",
        "Les échanges avec les autres associations de la province.",
        "Les explications sur les obligations légales des associations.",
        "La formatrice prend le temps de répondre à chacun.",
    ],
    1: [
        "Traduire les supports en arabe pour tous les membres du bureau.",
        "Commencer plus tôt le matin : certains viennent de loin.",
        "Prévoir une visite d'une association qui a réussi ce changement.",
        "Plus d'exemples adaptés aux petites associations rurales.",
    ],
}


def _rating(rng, section):
    return rng.choices((1, 2, 3, 4, 5), weights=PROFILES[section])[0]


def _answers(rng, survey, *, comment_pools=COMMENTS, facilitator_bonus=()):
    """One plausible filled questionnaire; a facilitator named in ``facilitator_bonus`` tends
    to be rated a little higher."""
    answers = {}
    comments = [q for q in survey.questionnaire.questions.all() if q.kind == Question.Kind.TEXT]
    for question, facilitator in survey_expected_answers(survey):
        key = (question.pk, facilitator.pk if facilitator else None)
        if question.kind == Question.Kind.TEXT:
            pool = comment_pools.get(comments.index(question), [])
            answers[key] = rng.choice(pool) if pool and rng.random() < 0.6 else ""
            continue
        value = _rating(rng, question.section)
        if facilitator and facilitator.name in facilitator_bonus and value < 5:
            value += rng.random() < 0.3
        answers[key] = value
    return answers


def _survey(cohort, *, occasion, opens_on, closes_on, by, session=None):
    survey = Survey.objects.filter(cohort=cohort, occasion=occasion, opens_on=opens_on).first()
    if survey is not None:
        return survey, False
    questionnaire = Questionnaire.objects.filter(is_default=True).first()
    survey = survey_open(
        cohort=cohort,
        questionnaire=questionnaire,
        occasion=occasion,
        opens_on=opens_on,
        closes_on=closes_on,
        session=session,
        by=by,
    )
    return survey, True


def build_surveys(world):
    users = world.users
    created = responses = 0

    mono = world.cohorts[MONO_WORKSHOP_CODE]
    survey, was_created = _survey(
        mono,
        occasion=Survey.Occasion.END_OF_WORKSHOP,
        opens_on=date(2024, 11, 22),
        closes_on=date(2024, 11, 29),
        by=users["trainer_zannou"],
    )
    created += was_created
    if not survey.responses.exists():
        rng = random.Random(f"{SEED}-mono")
        enrolled = mono.enrolments.filter(withdrawn_on__isnull=True).count()
        for _n in range(min(MONO_ANSWERS, max(enrolled - 3, 0))):
            # Paper questionnaires typed in by the trainer: no "has answered" record.
            survey_answer_record(
                survey=survey, answers=_answers(rng, survey, facilitator_bonus=("Etienne Zannou",))
            )
            responses += 1

    takwia = world.cohorts[TAKWIA_CODE]
    session = (
        takwia.sessions.filter(cancelled=False, date__lte=date.today() - timedelta(days=14))
        .order_by("-date")
        .first()
    )
    if session is not None:
        survey, was_created = _survey(
            takwia,
            occasion=Survey.Occasion.END_OF_SESSION,
            opens_on=session.date,
            closes_on=session.date + timedelta(days=13),
            by=users["trainer_takwia"],
            session=session,
        )
        created += was_created
        if not survey.responses.exists():
            rng = random.Random(f"{SEED}-takwia")
            enrolments = list(takwia.enrolments.filter(withdrawn_on__isnull=True).order_by("pk"))
            for enrolment in enrolments[:TAKWIA_ANSWERS]:
                # Online, each delegate once: the "has answered" record goes with it.
                survey_answer_record(
                    survey=survey,
                    answers=_answers(rng, survey, comment_pools=TAKWIA_COMMENTS),
                    enrolment=enrolment,
                    today=session.date + timedelta(days=rng.randrange(14)),
                )
                responses += 1
    total = Survey.objects.filter(cohort__in=(mono, takwia)).count()
    return [("Enquêtes de satisfaction (réponses anonymes)", total, created + responses, 0)]


BUILDERS = (build_surveys,)
