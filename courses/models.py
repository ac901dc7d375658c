"""Programmes, modules and lessons (Wagtail pages) and learner progress arrive with the courses
issue; the app exists now so that the import order is fixed from the start."""
