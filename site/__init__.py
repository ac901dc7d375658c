"""Renfort's project package (the folder is ``site/``, the import name is ``renfort``)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
