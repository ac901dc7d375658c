"""Writes of the courses app."""

from django.db import IntegrityError, transaction

from courses.models import LessonCompletion


def lesson_mark_done(*, user, lesson):
    """Record that ``user`` finished ``lesson``. Idempotent: a retried POST (flaky link) or two
    requests racing find the existing row; returns ``(completion, created)``."""
    try:
        with transaction.atomic():
            return LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:
        return LessonCompletion.objects.get(user=user, lesson=lesson), False
