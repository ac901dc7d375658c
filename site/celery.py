"""Celery application.

With no ``CELERY_BROKER_URL`` the settings make every task run in-process (the embedded default);
with a broker, ``celery -A renfort worker`` runs them in as many worker processes as you start.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renfort.settings.dev")

app = Celery("renfort")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
