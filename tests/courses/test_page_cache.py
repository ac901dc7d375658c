"""What the programme and lesson pages keep in the shared cache (locales, the programme outline,
the rendered lesson body, the site's root page) is dropped or re-keyed on every write that
changes it, and nothing personal is kept; permissions are read in one query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from courses.models import LessonPage, ModulePage, Partner
from courses.page_cache import _CODE_KEY
from tests.courses.conftest import build_programme, lessons_of, modules_of
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory, participant


def enrolled_user(programme):
    user = participant()
    EnrolmentFactory(person=user.person, cohort=CohortFactory(programme=programme))
    return user


@pytest.fixture
def programme(db):
    return build_programme(modules=2, lessons=2)


def test_a_republished_lesson_shows_its_new_text_at_once(client, programme):
    client.force_login(enrolled_user(programme))
    lesson = lessons_of(programme)[0]
    assert "Texte de la leçon 1.1." in client.get(lesson.url).content.decode()
    assert "Texte de la leçon 1.1." in client.get(lesson.url).content.decode()  # from the cache
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = [("paragraph", "<p>Nouveau texte publié.</p>")]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Nouveau texte publié." in html
    assert "Texte de la leçon 1.1." not in html


def test_a_draft_edit_does_not_reach_readers_but_a_linked_page_rename_does(client, programme):
    client.force_login(enrolled_user(programme))
    first, second = lessons_of(programme)[:2]
    second = LessonPage.objects.get(pk=second.pk)
    second.body = [("paragraph", f'<p><a linktype="page" id="{first.pk}">voir</a></p>')]
    second.save_revision().publish()
    assert f'href="{first.url}"' in client.get(second.url).content.decode()
    draft = LessonPage.objects.get(pk=second.pk)
    draft.body = [("paragraph", "<p>Brouillon.</p>")]
    draft.save_revision()
    assert "Brouillon." not in client.get(second.url).content.decode()
    first = LessonPage.objects.get(pk=first.pk)
    old_url = first.url
    assert client.get(old_url).status_code == 200
    first.slug = "nouvelle-adresse"
    first.save_revision().publish()
    first.refresh_from_db()
    html = client.get(second.url).content.decode()
    assert f'href="{first.url}"' in html and "nouvelle-adresse" in html
    assert client.get(old_url).status_code == 404
    assert client.get(first.url).status_code == 200


def test_the_mark_as_done_state_and_form_stay_personal(client, programme):
    lesson = lessons_of(programme)[0]
    alice, bob = enrolled_user(programme), enrolled_user(programme)
    client.force_login(alice)
    form = '<form method="post" action="/programme-test/'
    assert form in client.get(lesson.url).content.decode()
    client.post(lesson.url)
    alice_html = client.get(lesson.url).content.decode()
    assert form not in alice_html and 'class="done"' in alice_html
    client.force_login(bob)
    bob_html = client.get(lesson.url).content.decode()
    assert form in bob_html and 'class="done"' not in bob_html


def test_the_programme_outline_follows_publishing_at_once(client, programme):
    client.force_login(enrolled_user(programme))
    assert "Leçon 2.3" not in client.get(programme.url).content.decode()
    module = modules_of(programme)[1]
    module.add_child(instance=LessonPage(title="Leçon 2.3"))
    last = lessons_of(programme)[-1]
    assert last.title == "Leçon 2.3"
    html = client.get(lessons_of(programme)[-2].url).content.decode()
    assert "Leçon 2.3" in html  # the next lesson
    ModulePage.objects.get(pk=modules_of(programme)[0].pk).unpublish()
    html = client.get(programme.url).content.decode()
    assert "Module 1" not in html and "Module 2" in html


def test_a_partner_renamed_shows_on_the_programme_page_at_once(client, programme):
    client.force_login(enrolled_user(programme))
    partner = Partner.objects.create(name="Agence A", acronym="AA")
    programme.partners.add(partner)
    programme.save_revision().publish()
    assert "Agence A (AA)" in client.get(programme.url).content.decode()
    partner.name = "Agence B"
    partner.save()
    assert "Agence B (AA)" in client.get(programme.url).content.decode()
    partner.delete()
    assert "Agence B" not in client.get(programme.url).content.decode()


def test_locales_come_from_the_cache_and_are_dropped_on_save_and_delete(db):
    fr = Locale.objects.get_for_language("fr")
    with CaptureQueriesContext(connection) as queries:
        assert Locale.objects.get_for_language("fr").pk == fr.pk
    assert len(queries) == 0
    from django.core.cache import cache

    fr.save()
    assert cache.get(_CODE_KEY.format("fr")) is None
    Locale.objects.get_or_create(language_code="en")
    en = Locale.objects.get_for_language("en")
    assert cache.get(_CODE_KEY.format("en")) is not None
    en.delete()
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("en")


def test_permissions_are_read_in_one_query_with_the_same_answer(db):
    user = UserFactory()
    own = Permission.objects.get(codename="access_admin")
    group = Group.objects.create(name="Éditeurs")
    group.permissions.add(Permission.objects.get(codename="add_document"))
    user.user_permissions.add(own)
    user.groups.add(group)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("wagtailadmin.access_admin")
        assert user.has_perm("wagtaildocs.add_document")
        assert not user.has_perm("wagtaildocs.delete_document")
        assert user.get_all_permissions() == {
            "wagtailadmin.access_admin",
            "wagtaildocs.add_document",
        }
    assert len(queries) == 1


def test_a_lesson_page_for_an_enrolled_participant_is_bounded(client, programme):
    client.force_login(enrolled_user(programme))
    lesson = lessons_of(programme)[-1]
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    assert len(queries) <= 7
    client.get(programme.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(programme.url).status_code == 200
    assert len(queries) <= 7
