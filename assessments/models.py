"""Quizzes, organisational diagnostics and surveys arrive with the assessments issue."""
