"""Translations: simple_translation copies a subtree as drafts; the editor sees when the French
source changed after a translation was last edited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from courses.models import LessonPage
from courses.panels import translation_status
from tests.courses.conftest import build_programme, lessons_of
from tests.factories import trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(db):
    programme = build_programme(modules=1, lessons=1)
    locale = Locale.objects.get_or_create(language_code="ar")[0]
    lesson = lessons_of(programme)[0]
    copy = LessonPage.objects.get(pk=lesson.copy_for_translation(locale, copy_parents=True).pk)
    copy.save_revision()
    return lesson, LessonPage.objects.get(pk=copy.pk)


def test_fresh_translation_is_up_to_date(translated):
    source, copy = translated
    assert translation_status(copy) == [(source, False, True)]
    assert translation_status(source) == [(copy, False, False)]


def test_source_edited_after_translation_is_flagged(translated, client):
    source, copy = translated
    later = timezone.now() + datetime.timedelta(minutes=5)
    source.title = "Leçon revue"
    revision = source.save_revision()
    revision.created_at = later
    revision.save(update_fields=["created_at"])
    LessonPage.objects.filter(pk=source.pk).update(latest_revision_created_at=later)
    copy = LessonPage.objects.get(pk=copy.pk)
    [(page, is_stale, is_source)] = translation_status(copy)
    assert page.pk == source.pk and is_stale and is_source
    client.force_login(trainer())
    html = client.get(f"/admin/pages/{copy.pk}/edit/").content.decode()
    assert "French source changed" in html or "source en français" in html


def test_trainer_may_open_the_translate_form(client, translated):
    source, _copy = translated
    client.force_login(trainer())
    url = reverse("simple_translation:submit_page_translation", args=[source.get_parent().pk])
    assert client.get(url).status_code == 200


def test_the_admin_listings_show_which_translation_is_behind(translated, client):
    source, copy = translated
    client.force_login(trainer())
    french_listing = reverse("wagtailadmin_explore", args=[source.get_parent().pk])
    arabic_listing = reverse("wagtailadmin_explore", args=[copy.get_parent().pk])
    assert "translation-stale" not in client.get(french_listing).content.decode()
    assert "translation-stale" not in client.get(arabic_listing).content.decode()
    later = timezone.now() + datetime.timedelta(minutes=5)
    LessonPage.objects.filter(pk=source.pk).update(latest_revision_created_at=later)
    french = client.get(french_listing).content.decode()
    copy_edit = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert "translation-stale" in french and f'href="{copy_edit}"' in french
    arabic = client.get(arabic_listing).content.decode()
    source_edit = reverse("wagtailadmin_pages:edit", args=[source.pk])
    assert "translation-stale" in arabic and f'href="{source_edit}"' in arabic
