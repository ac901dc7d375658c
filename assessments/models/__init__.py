"""Organisational diagnostics: frameworks (dimensions, items, described levels), diagnostics of
an organisation at a phase with a response per item, and the capacity-development plan."""

from assessments.models.diagnostics import Diagnostic, Evidence, Response
from assessments.models.frameworks import Dimension, Framework, Item, ItemLevel
from assessments.models.plans import PlanItem
from assessments.models.quizzes import Answer, Attempt, Quiz
from assessments.models.surveys import (
    Question,
    Questionnaire,
    Survey,
    SurveyAnswer,
    SurveyFacilitator,
    SurveyParticipation,
    SurveyResponse,
)

__all__ = [
    "Answer",
    "Attempt",
    "Diagnostic",
    "Dimension",
    "Evidence",
    "Framework",
    "Item",
    "ItemLevel",
    "PlanItem",
    "Quiz",
    "Question",
    "Questionnaire",
    "Survey",
    "SurveyAnswer",
    "SurveyFacilitator",
    "SurveyParticipation",
    "SurveyResponse",
    "Response",
]
