"""Reads of the courses app: who may read a programme, progress, modules followed.

Hooks other apps register (courses imports nothing above it):
- ``courses_can_read_programme``: ``fn(user, programme) -> bool``; any True lets the user read
  the programme's pages (besides staff and programmes open to the public).
- ``courses_modules_followed``: ``fn(user, module_ids) -> iterable of module ids`` the user
  followed some other way (e.g. a session attended); unioned with the online part.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from wagtail import hooks

from courses.models import LessonCompletion, LessonPage, ModulePage, ProgrammePage
from courses.page_cache import content_generation

OUTLINE_TIMEOUT = 60 * 60
# What a page of the outline needs to be linked to (title, URL, language).
_LINK_FIELDS = ("id", "title", "slug", "path", "depth", "url_path", "locale_id", "content_type_id")


def is_content_staff(user):
    """Staff, superusers and anyone who may enter the Wagtail admin (trainers, coordinators)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def programme_of(page):
    """The programme a programme, module or lesson page belongs to (one query at most)."""
    if isinstance(page, ProgrammePage):
        return page
    steplen = page.steplen
    programme_depth = page.depth - (1 if isinstance(page, ModulePage) else 2)
    cached = getattr(page, "_programme_cache", None)
    if cached is None:
        path = page.path[: steplen * programme_depth]
        key = f"courses:programme:{content_generation()}:{path}"
        cached = cache.get(key)
        if cached is None:
            cached = ProgrammePage.objects.get(path=path)
            cache.set(key, cached, OUTLINE_TIMEOUT)
        page._programme_cache = cached
    return cached


def programme_outline(programme):
    """The programme's live modules (by number) and live lessons (in reading order): content,
    the same for every reader, kept in the shared cache under the content generation (bumped
    on every page save or delete, ``courses.page_cache``). Fresh objects on every call."""
    key = f"courses:outline:{content_generation()}:{programme.pk}"
    outline = cache.get(key)
    if outline is None:
        modules = list(
            ModulePage.objects.child_of(programme)
            .live()
            .order_by("number", "path")
            .only(*_LINK_FIELDS, "number", "duration_hours", "is_required", "search_description")
        )
        outline = (modules, list(_lessons_under(programme)))
        cache.set(key, outline, OUTLINE_TIMEOUT)
    return outline


def can_read_programme(user, programme):
    if programme.is_open_to_public or is_content_staff(user):
        return True
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_courses_read_cache", None)
    if cache is None:
        cache = user._courses_read_cache = {}
    if programme.pk not in cache:
        cache[programme.pk] = any(
            fn(user, programme) for fn in hooks.get_hooks("courses_can_read_programme")
        )
    return cache[programme.pk]


def readable_programmes(user):
    """Live programmes (every locale) ``user`` may read."""
    programmes = list(ProgrammePage.objects.live())
    return [p for p in programmes if can_read_programme(user, p)]


def done_translation_keys(user, translation_keys=None):
    """Translation keys of the lessons ``user`` marked done (in any language)."""
    if not user.is_authenticated:
        return set()
    completions = LessonCompletion.objects.filter(user=user)
    if translation_keys is not None:
        completions = completions.filter(lesson__translation_key__in=list(translation_keys))
    return set(completions.values_list("lesson__translation_key", flat=True))


def _lessons_under(page):
    return (
        LessonPage.objects.descendant_of(page)
        .live()
        .order_by("path")
        .only(*_LINK_FIELDS, "translation_key", "is_required", "estimated_minutes")
    )


def programme_partners(programme):
    """The programme's partners (content, the same for every reader), from the shared cache
    under the content generation (bumped on every page or partner write)."""
    key = f"courses:partners:{content_generation()}:{programme.pk}"
    partners = cache.get(key)
    if partners is None:
        partners = list(programme.partners.all())
        cache.set(key, partners, OUTLINE_TIMEOUT)
    return partners


def lesson_neighbours(lesson):
    """Previous and next live lessons of the same programme, in reading order."""
    _modules, lessons = programme_outline(programme_of(lesson))
    previous = [item for item in lessons if item.path < lesson.path]
    following = [item for item in lessons if item.path > lesson.path]
    return (previous[-1] if previous else None, following[0] if following else None)


def lesson_module(lesson):
    """The module of ``lesson``: from the cached outline when live, else its parent page."""
    modules, _lessons = programme_outline(programme_of(lesson))
    path = lesson.path[: lesson.steplen * (lesson.depth - 1)]
    return next((module for module in modules if module.path == path), None) or (
        lesson.get_parent()
    )


def module_lessons(user, module):
    lessons = list(_lessons_under(module))
    done = done_translation_keys(user, [lesson.translation_key for lesson in lessons])
    for lesson in lessons:
        lesson.is_done = lesson.translation_key in done
    return lessons


@dataclass
class ModuleProgress:
    module: ModulePage
    lessons: list = field(default_factory=list)
    required: int = 0
    done: int = 0

    @property
    def percent(self):
        return round(100 * self.done / self.required) if self.required else 0

    @property
    def is_complete(self):
        return self.required > 0 and self.done >= self.required


@dataclass
class ProgrammeProgress:
    modules: list
    required: int
    done: int
    next_lesson: LessonPage | None
    has_started: bool

    @property
    def percent(self):
        return round(100 * self.done / self.required) if self.required else 0


def programme_progress(user, programme):
    """The programme's live modules with their lessons and, for ``user``, how many required
    lessons are done, per module and overall, and the lesson to continue with. One query (the
    completions) when the outline is cached, three when not, whatever the number of modules,
    lessons or completions."""
    modules, lessons = programme_outline(programme)
    done = done_translation_keys(user) if user.is_authenticated else set()
    by_path = {module.path: ModuleProgress(module=module) for module in modules}
    steplen = programme.steplen
    for lesson in lessons:
        entry = by_path.get(lesson.path[: steplen * (programme.depth + 1)])
        if entry is None:
            continue
        lesson.is_done = lesson.translation_key in done
        entry.lessons.append(lesson)
        if lesson.is_required:
            entry.required += 1
            entry.done += lesson.is_done
    entries = [by_path[module.path] for module in modules]
    reading_order = [lesson for entry in entries for lesson in entry.lessons]
    next_lesson = next((lesson for lesson in reading_order if not lesson.is_done), None)
    return ProgrammeProgress(
        modules=entries,
        required=sum(entry.required for entry in entries),
        done=sum(entry.done for entry in entries),
        next_lesson=next_lesson,
        has_started=any(lesson.is_done for lesson in reading_order),
    )


def followed_module_ids(user, module_ids):
    """Ids among ``module_ids`` of the modules ``user`` followed: every required live lesson
    done online (a module without required lessons is not followed online), UNION what the
    ``courses_modules_followed`` hooks return (e.g. a session attended)."""
    module_ids = set(module_ids)
    if not module_ids or not user.is_authenticated:
        return set()
    modules = list(ModulePage.objects.filter(pk__in=module_ids).only("id", "path", "depth"))
    followed = set()
    if modules:
        paths = Q()
        for module in modules:
            paths |= Q(path__startswith=module.path, depth=module.depth + 1)
        required = list(
            LessonPage.objects.live()
            .filter(paths, is_required=True)
            .values_list("path", "translation_key")
        )
        done = done_translation_keys(user, {key for _path, key in required})
        for module in modules:
            keys = [key for path, key in required if path.startswith(module.path)]
            if keys and all(key in done for key in keys):
                followed.add(module.pk)
    for fn in hooks.get_hooks("courses_modules_followed"):
        followed.update(pk for pk in fn(user, module_ids) if pk in module_ids)
    return followed


VIEW_RESTRICTIONS_KEY = "courses:any-page-view-restrictions"


def any_view_restrictions():
    """Whether any page has a Wagtail view restriction (privacy setting) at all: when none has,
    serving a page need not look for its ancestors' restrictions (two queries). Kept in the
    shared cache, dropped whenever a restriction is saved or deleted."""
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    found = cache.get(VIEW_RESTRICTIONS_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(VIEW_RESTRICTIONS_KEY, found, 60 * 60)
    return found


def forget_view_restrictions(**kwargs):
    from django.core.cache import cache

    cache.delete(VIEW_RESTRICTIONS_KEY)
