"""Shared-cache answers for reading programme, module and lesson pages.

- Wagtail looks the active ``Locale`` up by language code on every page request (to route to
  the translation of the home page) and by id when a template reads ``page.locale``. Locales
  change about never: both answers are kept in the shared cache, dropped whenever a locale is
  saved or deleted.
- A lesson's StreamField body, rendered, is kept in the shared cache under the page's id, the
  active language and its ``latest_revision_id`` / ``live_revision_id`` / ``last_published_at``:
  publishing the page changes the key, so readers see the new text at once. The key also holds
  a content generation, bumped whenever any page, image, document or partner is saved or
  deleted (a body links to other pages, images and documents, whose URLs may change). The
  body is content, the same for every reader (no user, progress or CSRF token in it);
  previews are never cached.

Cached objects are unpickled afresh per request, so nothing one request sets on them reaches
another."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.models.i18n import LocaleManager

TIMEOUT = 60 * 60
BODY_TIMEOUT = 24 * 60 * 60
_CODE_KEY = "courses:locale:code:{}"
_ID_KEY = "courses:locale:id:{}"

_uncached_get_for_language = LocaleManager.get_for_language


def locale_for_language(manager, language_code):
    """What ``Locale.objects.get_for_language`` answers, from the shared cache when it can
    (a missing locale is not cached: it raises ``DoesNotExist`` as before)."""
    code = get_supported_content_language_variant(language_code)
    key = _CODE_KEY.format(code)
    locale = cache.get(key)
    if locale is None:
        locale = _uncached_get_for_language(manager, code)
        cache.set(key, locale, TIMEOUT)
    return locale


def locale_by_id(pk):
    key = _ID_KEY.format(pk)
    locale = cache.get(key)
    if locale is None:
        locale = Locale.objects.get(pk=pk)
        cache.set(key, locale, TIMEOUT)
    return locale


def attach_locale(page):
    """Give ``page`` its locale from the cache, so that ``page.locale`` costs no query."""
    if page.locale_id is not None and "locale" not in page._state.fields_cache:
        page._state.fields_cache["locale"] = locale_by_id(page.locale_id)
    return page


def forget_locales(instance=None, **kwargs):
    codes = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if instance is not None:
        codes.add(instance.language_code)
    keys = [_CODE_KEY.format(code) for code in codes]
    if instance is not None and instance.pk is not None:
        keys.append(_ID_KEY.format(instance.pk))
    cache.delete_many(keys)


GENERATION_KEY = "courses:content-generation"


def content_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def forget_content(**kwargs):
    cache.set(GENERATION_KEY, time.time_ns(), None)


def forget_content_if_page(instance, **kwargs):
    if isinstance(instance, Page):
        forget_content()


def lesson_body_html(page, render):
    """The rendered body of lesson ``page`` in the active language; ``render()`` renders it
    when the cache has no answer."""
    stamp = page.last_published_at.isoformat() if page.last_published_at else ""
    key = (
        f"courses:lesson-body:{content_generation()}:{page.pk}:{translation.get_language()}:"
        f"{page.latest_revision_id}:{page.live_revision_id}:{stamp}"
    )
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, BODY_TIMEOUT)
    return html


def cached_route(home, path_components, route):
    """What ``route()`` answers for ``path_components`` under ``home``, from the shared cache
    when the page found is a programme, module or lesson page (they route on the path alone),
    under the content generation: any page written re-keys it. 404s are not cached."""
    from wagtail.url_routing import RouteResult

    from courses.models import LessonPage, ModulePage, ProgrammePage

    path = "/".join(path_components)
    key = (
        f"courses:route:{content_generation()}:{home.pk}:"
        f"{hashlib.sha256(path.encode()).hexdigest()}"
    )
    found = cache.get(key)
    if found is not None:
        return found
    found = route()
    if (
        isinstance(found, RouteResult)
        and type(found.page) in (ProgrammePage, ModulePage, LessonPage)
        and not found.args
        and not found.kwargs
    ):
        cache.set(key, found, TIMEOUT)
    return found


def connect():
    from courses.models import Partner

    LocaleManager.get_for_language = locale_for_language
    for signal in (post_save, post_delete):
        signal.connect(
            forget_locales,
            sender=Locale,
            dispatch_uid=f"courses_locale_cache_{signal is post_save}",
        )
        # Any page model: the signals are sent with the concrete class, not Page.
        signal.connect(
            forget_content_if_page, dispatch_uid=f"courses_content_pages_{signal is post_save}"
        )
        for model in (get_image_model(), get_document_model(), Partner):
            signal.connect(
                forget_content,
                sender=model,
                dispatch_uid=f"courses_content_{model._meta.label}_{signal is post_save}",
            )
