"""Knowledge tests from data (the demo world's YAML files, tests): the questions of a quiz as a
stream, and its translations made the way the admin's « Traduire » makes them (same ids)."""

import json
import uuid

from django.db import transaction
from wagtail.models import Locale

from assessments.models import Quiz


def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def questions_stream(items):
    """The raw stream (JSON text) of ``items``: dicts with ``kind`` (``single_choice``,
    ``multiple_choice``, ``true_false``), ``text``, and ``choices`` (``{"text", "correct"}``)
    or ``answer`` (a boolean) for a true/false statement."""
    stream = []
    for item in items:
        if item["kind"] == "true_false":
            value = {"text": item["text"], "answer": "true" if item["answer"] else "false"}
        else:
            value = {
                "text": item["text"],
                "choices": [
                    _block("item", {"text": c["text"], "correct": bool(c.get("correct"))})
                    for c in item["choices"]
                ],
            }
        stream.append(_block(item["kind"], value))
    return json.dumps(stream)


@transaction.atomic
def quiz_create(*, module, kind, title, items, **fields):
    """A quiz of ``module`` in the module's language, with ``items`` as its questions."""
    return Quiz.objects.create(
        module=module,
        kind=kind,
        title=title,
        locale=module.locale,
        questions=questions_stream(items),
        **fields,
    )


@transaction.atomic
def quiz_translation_ensure(*, quiz, language_code, title, texts, instructions=None):
    """The ``language_code`` copy of ``quiz`` (made by ``copy_for_translation`` if missing, as
    the admin's « Traduire » does), its title and question and choice texts replaced by
    ``texts``: one entry per question, ``{"text", "choices": [text, ...]}``. Ids, correct
    choices and rules stay the source's."""
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    copy = Quiz.objects.filter(translation_key=quiz.translation_key, locale=locale).first()
    existed = copy is not None
    if copy is None:
        copy = quiz.copy_for_translation(locale)
    raw = json.loads(json.dumps(list(quiz.questions.raw_data)))
    for block, text in zip(raw, texts, strict=True):
        block["value"]["text"] = text["text"]
        for choice, choice_text in zip(
            block["value"].get("choices", []), text.get("choices", []), strict=True
        ):
            choice["value"]["text"] = choice_text
    unchanged = (
        existed
        and copy.title == title
        and (instructions is None or copy.instructions == instructions)
        and json.loads(json.dumps(list(copy.questions.raw_data))) == raw
    )
    if unchanged:
        return copy  # nothing to write (and nothing to re-index)
    copy.title = title
    if instructions is not None:
        copy.instructions = instructions
    copy.questions = json.dumps(raw)
    copy.save()
    return copy
