"""Demo programmes, read from data files under ``courses/demo_content/``.

Each programme is a folder: ``programme.yaml`` (the programme and the order of its modules)
and one YAML file per module (the module and its lessons). Translations sit beside the French
files as ``<name>.<lang>.yaml`` with the same slugs; the French tree is copied with
``copy_for_translation`` and the translated text set on the copies. Text fields use a small
plain format: paragraphs separated by blank lines, ``- `` bullet lists, ``1. `` numbered lists,
``**bold**``. Idempotent: a page is revised and published only when what it shows differs.
"""

import html
import re
from decimal import Decimal
from pathlib import Path

import yaml
from wagtail.models import Locale, Page

from courses.demo_documents import demo_documents_ensure
from courses.models import LessonPage, ModulePage, Partner, ProgrammePage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
PROGRAMMES = ("secteur-associatif", "mono-mobilisation-sociale")


def text_to_html(text):
    """Plain text with blank-line paragraphs, ``- ``/``1. `` lists and ``**bold**`` to HTML."""
    if not text:
        return ""
    parts = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(re.match(r"\d+\. ", line) for line in lines):
            items = "".join(f"<li>{_inline(line.split('. ', 1)[1])}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(parts)


def _inline(text):
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text, quote=False))


def _body(blocks, documents=None):
    """The YAML list of ``{kind: value}`` blocks as StreamField raw data; ``document: <key>``
    names one of ``documents`` (the demo's template files)."""
    documents = documents or {}

    def document_id(key):
        return documents[key].pk if key and key in documents else None

    stream = []
    for block in blocks or []:
        ((kind, value),) = block.items()
        if kind == "paragraph":
            value = text_to_html(value)
        elif kind == "callout":
            value = {
                "kind": value.get("kind", "key_point"),
                "title": value.get("title", ""),
                "text": text_to_html(value["text"]),
            }
        elif kind == "exercise":
            value = {
                "title": value["title"],
                "instructions": text_to_html(value["instructions"]),
                "expected_output": text_to_html(value.get("expected_output", "")),
                "duration_minutes": value.get("duration_minutes"),
            }
        elif kind == "resources":
            value = {
                "title": value.get("title", ""),
                "items": [
                    {
                        "title": item["title"],
                        "url": item.get("url", ""),
                        "document": document_id(item.get("document")),
                        "note": item.get("note", ""),
                    }
                    for item in value["items"]
                ],
            }
        elif kind == "document":
            if document_id(value["file"]) is None:
                continue  # a world built without the template files
            value = {
                "document": document_id(value["file"]),
                "title": value.get("title", ""),
                "description": value.get("description", ""),
            }
        stream.append({"type": kind, "value": value})
    return stream


def _stream_prep(raw):
    block = LessonPage._meta.get_field("body").stream_block
    prepared = block.get_prep_value(block.to_python(raw))
    return [_strip_ids(item) for item in prepared]


def _strip_ids(value):
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_programme(name, language="fr"):
    """The programme ``name`` as nested dicts, in ``language`` (French files for ``fr``)."""
    folder = CONTENT_DIR / name
    suffix = "" if language == "fr" else f".{language}"
    programme = _load(folder / f"programme{suffix}.yaml")
    programme["modules"] = [
        _load(folder / f"{module_file}{suffix}.yaml") for module_file in programme["module_files"]
    ]
    return programme


def translations_of(name):
    folder = CONTENT_DIR / name
    return sorted(
        path.name.split(".")[1] for path in folder.glob("programme.*.yaml") if path.is_file()
    )


def _programme_fields(data):
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data.get("summary", ""),
        "objectives": text_to_html(data.get("objectives", "")),
        "audience": data.get("audience", ProgrammePage.Audience.BOTH),
        "duration": data.get("duration", ""),
        "expected_results": text_to_html(data.get("expected_results", "")),
        "is_open_to_public": data.get("is_open_to_public", False),
        "requires_post_test": data.get("requires_post_test", False),
        "diagnostic_framework_code": data.get("diagnostic_framework_code", ""),
    }


def _module_fields(data, number):
    hours = data.get("duration_hours")
    return {
        "title": data["title"],
        "slug": data["slug"],
        "number": data.get("number", number),
        "duration_hours": Decimal(str(hours)) if hours is not None else None,
        "objectives": text_to_html(data.get("objectives", "")),
        "is_required": data.get("is_required", True),
        "dimension_codes": data.get("dimension_codes", []),
        "search_description": data.get("summary", ""),
    }


def _lesson_fields(data, documents=None):
    return {
        "title": data["title"],
        "slug": data["slug"],
        "is_required": data.get("is_required", True),
        "estimated_minutes": data.get("minutes"),
        "body": _body(data.get("body"), documents),
    }


def _differs(page, fields):
    for name, value in fields.items():
        current = getattr(page, name)
        if name == "body":
            if _strip_ids(current.get_prep_value()) != _stream_prep(value):
                return True
        elif name == "duration_hours":
            if (current is None) != (value is None) or (current is not None and current != value):
                return True
        elif current != value:
            return True
    return False


def _publish(page, fields, counts, *, is_new):
    """Set ``fields`` and publish when they differ or the page is not live. Skips the slug
    on translations already made (Wagtail keeps it unique per parent)."""
    if not is_new and not _differs(page, fields) and page.live and not page.has_unpublished_changes:
        return page
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    if not is_new:
        counts["updated"] += 1
    return page


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _ensure_child(parent, model, fields, counts):
    page = _child(parent, model, fields["slug"])
    is_new = page is None
    if is_new:
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        counts["created"] += 1
        return page
    return _publish(page, fields, counts, is_new=False)


def _partners(data, counts):
    partners = []
    for item in data.get("partners", []):
        partner = Partner.objects.filter(name=item["name"]).first()
        if partner is None:
            partner = Partner.objects.create(name=item["name"], acronym=item.get("acronym", ""))
            counts["created"] += 1
        partners.append(partner)
    return partners


def programme_ensure(name, home, counts, documents=None):
    """The French programme ``name`` under ``home`` with its modules and lessons, live."""
    data = read_programme(name)
    programme = _ensure_child(home, ProgrammePage, _programme_fields(data), counts)
    partners = _partners(data, counts)
    if {p.pk for p in partners} - set(programme.partners.values_list("pk", flat=True)):
        programme.partners.set(partners)
        programme.save_revision().publish()
    for number, module_data in enumerate(data["modules"], start=1):
        module = _ensure_child(programme, ModulePage, _module_fields(module_data, number), counts)
        for lesson_data in module_data["lessons"]:
            _ensure_child(module, LessonPage, _lesson_fields(lesson_data, documents), counts)
    return programme


def translation_ensure(name, programme, language, counts, documents=None):
    """The ``language`` copy of the French ``programme`` tree, with translated text, live."""
    data = read_programme(name, language)
    locale, _ = Locale.objects.get_or_create(language_code=language)

    def translate(page, fields):
        translation = page.get_translation_or_none(locale)
        is_new = translation is None
        if is_new:
            translation = page.copy_for_translation(locale, copy_parents=True)
            counts["created"] += 1
        fields = {k: v for k, v in fields.items() if k != "slug"}
        return _publish(translation.specific, fields, counts, is_new=is_new)

    translate(programme, _programme_fields(data))
    modules = ModulePage.objects.child_of(programme).order_by("path")
    by_slug = {module.slug: module for module in modules}
    for number, module_data in enumerate(data["modules"], start=1):
        module = by_slug[module_data["slug"]]
        translate(module, _module_fields(module_data, number))
        lessons = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(module)}
        for lesson_data in module_data["lessons"]:
            translate(lessons[lesson_data["slug"]], _lesson_fields(lesson_data, documents))


def demo_programmes_ensure(home=None, collection=None):
    """Every demo programme, live under the French home page, with its translations (the home
    page must already have its ``ar``/``en`` copies). Returns ``(programmes by folder name,
    lines)`` where lines are ``(label, total, created, updated)`` for the demo world. With a
    ``collection``, the lessons' template files are made there and offered for download."""
    home = home or Page.objects.get(depth=2, slug="accueil", locale__language_code="fr")
    programmes, lines = {}, []
    documents = {}
    if collection is not None:
        file_counts = {"created": 0, "updated": 0}
        documents = demo_documents_ensure(collection, file_counts)
        lines.append(
            ("Modèles à télécharger (Formations)", len(documents), file_counts["created"], 0)
        )
    for name in PROGRAMMES:
        counts = {"created": 0, "updated": 0}
        programme = programme_ensure(name, home, counts, documents)
        languages = translations_of(name)
        for language in languages:
            translation_ensure(name, programme, language, counts, documents)
        programmes[name] = programme
        total = LessonPage.objects.descendant_of(programme).count()
        short = programme.title if len(programme.title) <= 44 else programme.title[:43] + "…"
        label = f"Programme « {short} »" + (
            f" ({', '.join(['fr', *languages])})" if languages else ""
        )
        lines.append((label, total, counts["created"], counts["updated"]))
    return programmes, lines
