"""The associations app's models, by concept: the registry (territories, organisations, people,
roles), cohorts and enrolment, sessions and attendance."""

from associations.models.attendance import Attendance, Session
from associations.models.cohorts import Cohort, CohortOrganisation, Enrolment, OutsideFacilitator
from associations.models.imports import ImportJob
from associations.models.registry import (
    AGE_BANDS,
    Domain,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    Territory,
    age_band,
    normalise_name,
)

__all__ = [
    "AGE_BANDS",
    "Attendance",
    "Cohort",
    "CohortOrganisation",
    "Domain",
    "Enrolment",
    "ImportJob",
    "Organisation",
    "OutsideFacilitator",
    "Person",
    "Role",
    "RoleAssignment",
    "Session",
    "Territory",
    "age_band",
    "normalise_name",
]
