"""Participants read programmes they are enrolled in; progress and idempotent completion."""

import pytest
from wagtail import hooks

from courses.models import LessonCompletion
from courses.selectors import followed_module_ids, programme_progress
from courses.services import lesson_mark_done
from tests.courses.conftest import build_programme, lessons_of, modules_of
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory, participant, trainer


def enrolled_user(programme):
    user = participant()
    EnrolmentFactory(person=user.person, cohort=CohortFactory(programme=programme))
    return user


@pytest.fixture
def tree(db):
    programme = build_programme(modules=2, lessons=2)
    return programme, modules_of(programme), lessons_of(programme)


def pages(tree):
    programme, modules, lessons = tree
    return [programme, modules[0], lessons[0]]


def test_enrolled_participant_reads_programme_module_and_lesson(client, tree):
    client.force_login(enrolled_user(tree[0]))
    for page in pages(tree):
        assert client.get(page.url).status_code == 200, page.url


def test_not_enrolled_participant_gets_403(client, tree):
    other = build_programme(title="Autre programme")
    client.force_login(enrolled_user(other))
    for page in pages(tree):
        assert client.get(page.url).status_code == 403, page.url


def test_anonymous_is_sent_to_sign_in(client, tree):
    for page in pages(tree):
        response = client.get(page.url)
        assert response.status_code == 302
        assert "/comptes/login/" in response["Location"]


def test_public_programme_is_read_by_anyone(client, db):
    programme = build_programme(public=True)
    for page in [programme, modules_of(programme)[0], lessons_of(programme)[0]]:
        assert client.get(page.url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(lessons_of(programme)[1].url).status_code == 200


def test_trainer_reads_without_enrolment(client, tree):
    client.force_login(trainer())
    assert client.get(tree[2][0].url).status_code == 200


def test_mark_done_is_idempotent_and_moves_progress(client, tree):
    programme, modules, lessons = tree
    user = enrolled_user(programme)
    client.force_login(user)
    before = client.get(programme.url).content.decode()
    assert '<progress max="4" value="0"' in before
    for _retry in range(3):
        response = client.post(lessons[0].url)
        assert response.status_code == 302
    assert response["Location"] == lessons[1].url
    assert LessonCompletion.objects.filter(user=user).count() == 1
    after = client.get(programme.url).content.decode()
    assert '<progress max="4" value="1"' in after
    assert '<progress max="2" value="1"' in after
    assert lessons[1].title in after.split("Continue")[0] or lessons[1].url in after


def test_mark_done_needs_csrf(tree):
    from django.test import Client

    programme, _modules, lessons = tree
    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled_user(programme))
    assert client.post(lessons[0].url).status_code == 403
    assert not LessonCompletion.objects.exists()


def test_not_enrolled_cannot_mark_done(client, tree):
    programme, _modules, lessons = tree
    client.force_login(participant())
    assert client.post(lessons[0].url).status_code == 403
    assert not LessonCompletion.objects.exists()


def test_service_returns_existing_row_on_retry(tree):
    user = UserFactory()
    lesson = tree[2][0]
    first, created = lesson_mark_done(user=user, lesson=lesson)
    again, created_again = lesson_mark_done(user=user, lesson=lesson)
    assert created and not created_again and first.pk == again.pk


def test_progress_computation(tree):
    programme, modules, lessons = tree
    user = UserFactory()
    lessons[1].is_required = False
    lessons[1].save_revision().publish()
    lesson_mark_done(user=user, lesson=lessons[0])
    lesson_mark_done(user=user, lesson=lessons[2])
    progress = programme_progress(user, programme)
    assert [(m.done, m.required) for m in progress.modules] == [(1, 1), (1, 2)]
    assert (progress.done, progress.required, progress.percent) == (2, 3, 67)
    assert progress.modules[0].is_complete and not progress.modules[1].is_complete
    assert progress.next_lesson.pk == lessons[1].pk  # first lesson not done, in order
    assert progress.has_started


def test_followed_module_ids_online_part(tree):
    programme, modules, lessons = tree
    user = UserFactory()
    ids = [m.pk for m in modules]
    assert followed_module_ids(user, ids) == set()
    lesson_mark_done(user=user, lesson=lessons[0])
    assert followed_module_ids(user, ids) == set()
    lesson_mark_done(user=user, lesson=lessons[1])
    assert followed_module_ids(user, ids) == {modules[0].pk}
    assert followed_module_ids(user, [modules[1].pk]) == set()


def test_followed_module_ids_unions_the_hook(tree):
    programme, modules, lessons = tree
    user = UserFactory()

    def attended(u, module_ids):
        return [modules[1].pk, 999999]

    with hooks.register_temporarily("courses_modules_followed", attended):
        assert followed_module_ids(user, [m.pk for m in modules]) == {modules[1].pk}


def test_completion_counts_across_translations(tree):
    from wagtail.models import Locale

    programme, modules, lessons = tree
    user = UserFactory()
    locale = Locale.objects.get_or_create(language_code="ar")[0]
    from courses.models import LessonPage

    home_ar = programme.get_parent().copy_for_translation(locale)
    home_ar.save_revision().publish()
    programme_ar = programme.copy_for_translation(locale, copy_parents=False)
    module_ar = modules[0].copy_for_translation(locale)
    lesson_ar = LessonPage.objects.get(pk=lessons[0].copy_for_translation(locale).pk)
    for page in (programme_ar, module_ar, lesson_ar):
        page.save_revision().publish()
    lesson_mark_done(user=user, lesson=lesson_ar)
    assert programme_progress(user, programme).done == 1
