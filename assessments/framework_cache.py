"""The structure of the diagnostic frameworks (dimensions, their names in the three languages,
weights and item counts) kept in the shared cache: reference data that every diagnostic page
and list reads, that staff edit about never, and that holds nothing personal or scoped.

Every entry is named with a generation token; any save or delete of a framework, dimension,
item or item level draws a new token (at once and again when the transaction commits), so no
page reads a structure older than the last edit. Language is chosen when a page reads the rows
(``translated_row``), never stored."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "assessments:framework-structure:generation"
TIMEOUT = 60 * 60
DIMENSION_FIELDS = ("framework_id", "code", "name", "name_ar", "name_en", "weight", "item_count")


def _generation():
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY) or token
    return token


def dimensions_by_framework(framework_ids):
    """``{framework id: [dimension row dict, ...]}`` in framework order (``order``, pk), each row
    with ``DIMENSION_FIELDS``; frameworks missing from the cache are read in one query."""
    from assessments.models import Dimension

    framework_ids = sorted(set(framework_ids))
    token = _generation()
    keys = {
        fid: f"assessments:framework-structure:{token}:dimensions:{fid}" for fid in framework_ids
    }
    found = cache.get_many(list(keys.values()))
    result = {fid: found[key] for fid, key in keys.items() if key in found}
    missing = [fid for fid in framework_ids if fid not in result]
    if missing:
        rows = (
            Dimension.objects.filter(framework_id__in=missing)
            .annotate(item_count=Count("items"))
            .order_by("framework_id", "order", "pk")
            .values(*DIMENSION_FIELDS)
        )
        fresh = {fid: [] for fid in missing}
        for row in rows:
            fresh[row["framework_id"]].append(row)
        cache.set_many({keys[fid]: rows for fid, rows in fresh.items()}, TIMEOUT)
        result.update(fresh)
    return result


def forget(**kwargs):
    """Draw a new generation: every cached structure is stale from now on."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    # A page that read the old rows inside this transaction's window may have stored them under
    # the new token: draw again once the write is visible to every reader.
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def connect():
    from assessments.models import Dimension, Framework, Item, ItemLevel

    for model in (Framework, Dimension, Item, ItemLevel):
        name = model._meta.model_name
        post_save.connect(forget, sender=model, dispatch_uid=f"assessments_structure_save_{name}")
        post_delete.connect(
            forget, sender=model, dispatch_uid=f"assessments_structure_delete_{name}"
        )


LEVEL_FIELDS = (
    "item_id",
    "level",
    "description",
    "description_ar",
    "description_en",
    "evidence_guidance",
    "evidence_guidance_ar",
    "evidence_guidance_en",
)


def items_and_levels(framework_id):
    """``(items, levels)`` of one framework: its items in page order (model instances with their
    dimension, unpickled afresh from the cache for each caller, so nothing set on them by one
    request reaches another) and ``{item id: [level row dict in level order]}`` with the texts
    in the three languages."""
    from assessments.models import Item, ItemLevel

    key = f"assessments:framework-structure:{_generation()}:items:{framework_id}"
    found = cache.get(key)
    if found is not None:
        return found
    items = list(
        Item.objects.filter(dimension__framework_id=framework_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension__pk", "order", "pk")
    )
    levels = {}
    rows = ItemLevel.objects.filter(item__dimension__framework_id=framework_id).order_by(
        "item_id", "level"
    )
    for row in rows.values(*LEVEL_FIELDS):
        levels.setdefault(row["item_id"], []).append(row)
    cache.set(key, (items, levels), TIMEOUT)
    return items, levels
