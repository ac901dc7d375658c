"""A framework as plain data, and as a spreadsheet, so coordinators can share and adapt one.

The data form is what ``assessments/frameworks/*.json`` hold::

    {"code", "target", "name": {"fr", "ar", "en"}, "description",
     "dimensions": [{"code", "name": {...}, "weight",
                     "items": [{"code", "text": {...},
                                "levels": [{"description": "..." or {...},
                                            "evidence": "..." or {...}} x 4]}]}]}

The spreadsheet has one row per item, the framework and dimension repeated on each row.
"""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
LANGUAGES = ("fr", "ar", "en")
LEVEL_COLUMNS = [
    column
    for level in (1, 2, 3, 4)
    for column in (f"level_{level}", f"level_{level}_ar", f"level_{level}_en", f"evidence_{level}")
]
# The evidence guidance's translations came later: a sheet exported before still imports.
OPTIONAL_COLUMNS = [
    f"evidence_{level}_{language}" for level in (1, 2, 3, 4) for language in ("ar", "en")
]
COLUMNS = [
    "framework_code",
    "framework_name",
    "framework_name_ar",
    "framework_name_en",
    "framework_target",
    "framework_description",
    "dimension_code",
    "dimension_name",
    "dimension_name_ar",
    "dimension_name_en",
    "dimension_weight",
    "item_code",
    "item_text",
    "item_text_ar",
    "item_text_en",
    *LEVEL_COLUMNS,
    *OPTIONAL_COLUMNS,
]
MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_XLSX_INFLATED = 20 * 1024 * 1024
MAX_ROWS = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _texts(obj, field):
    return {
        "fr": getattr(obj, field),
        "ar": getattr(obj, f"{field}_ar"),
        "en": getattr(obj, f"{field}_en"),
    }


def framework_data(framework):
    """``framework`` (one version) as plain data, in framework order."""
    dimensions = framework.dimensions.prefetch_related("items__levels").order_by("order", "pk")
    return {
        "code": framework.code,
        "target": framework.target,
        "name": _texts(framework, "name"),
        "description": framework.description,
        "dimensions": [
            {
                "code": dimension.code,
                "name": _texts(dimension, "name"),
                "weight": _weight(dimension.weight),
                "items": [
                    {
                        "code": item.code,
                        "text": _texts(item, "text"),
                        "levels": [
                            {
                                "description": _texts(level, "description"),
                                "evidence": _texts(level, "evidence_guidance"),
                            }
                            for level in sorted(item.levels.all(), key=lambda lv: lv.level)
                        ],
                    }
                    for item in sorted(dimension.items.all(), key=lambda it: (it.order, it.pk))
                ],
            }
            for dimension in dimensions
        ],
    }


def _weight(value):
    value = Decimal(str(value)).normalize()
    return int(value) if value == value.to_integral() else float(value)


def normalised(data):
    """``data`` with every translatable text as a ``{fr, ar, en}`` dict and weights as numbers,
    so a file written by hand and one read back from the database compare equal."""

    def texts(value):
        if isinstance(value, dict):
            return {language: (value.get(language) or "").strip() for language in LANGUAGES}
        return {"fr": (value or "").strip(), "ar": "", "en": ""}

    return {
        "code": data["code"].strip(),
        "target": data.get("target", "associations"),
        "name": texts(data["name"]),
        "description": (data.get("description") or "").strip(),
        "dimensions": [
            {
                "code": dimension["code"].strip(),
                "name": texts(dimension["name"]),
                "weight": _weight(dimension.get("weight", 1)),
                "items": [
                    {
                        "code": item["code"].strip(),
                        "text": texts(item["text"]),
                        "levels": [
                            {
                                "description": texts(level["description"]),
                                "evidence": texts(level.get("evidence")),
                            }
                            for level in item["levels"]
                        ],
                    }
                    for item in dimension["items"]
                ],
            }
            for dimension in data["dimensions"]
        ],
    }


def check(data):
    """Raise ``ValidationError`` listing what is wrong with ``data`` (already normalised)."""
    errors = []
    if not data["code"]:
        errors.append(_("The framework has no code."))
    if not data["name"]["fr"]:
        errors.append(_("The framework has no French name."))
    if data["target"] not in ("associations", "public_services"):
        errors.append(_("Unknown target “%(target)s”.") % {"target": data["target"]})
    if not data["dimensions"]:
        errors.append(_("The framework has no dimension."))
    seen_dimensions = set()
    for dimension in data["dimensions"]:
        code = dimension["code"]
        if not code or code in seen_dimensions:
            errors.append(_("Dimension code “%(code)s” is empty or repeated.") % {"code": code})
        seen_dimensions.add(code)
        seen_items = set()
        for item in dimension["items"]:
            if not item["code"] or item["code"] in seen_items:
                errors.append(
                    _("Item code “%(code)s” is empty or repeated.") % {"code": item["code"]}
                )
            seen_items.add(item["code"])
            if not item["text"]["fr"]:
                errors.append(_("Item “%(code)s” has no French text.") % {"code": item["code"]})
            if len(item["levels"]) != 4 or not all(
                level["description"]["fr"] for level in item["levels"]
            ):
                errors.append(
                    _("Item “%(code)s” needs four described levels.") % {"code": item["code"]}
                )
    if errors:
        raise ValidationError(errors)


def read_file(path):
    """The framework data in the JSON file ``path`` (a name under ``assessments/frameworks/``
    or a full path)."""
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = FRAMEWORKS_DIR / path
    return json.loads(path.read_text(encoding="utf-8"))


def _cell(value):
    """A spreadsheet cell that a spreadsheet program will never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_dataset(data):
    data = normalised(data)
    dataset = tablib.Dataset(headers=COLUMNS, title="framework")
    for dimension in data["dimensions"]:
        for item in dimension["items"]:
            row = {
                "framework_code": data["code"],
                "framework_name": data["name"]["fr"],
                "framework_name_ar": data["name"]["ar"],
                "framework_name_en": data["name"]["en"],
                "framework_target": data["target"],
                "framework_description": data["description"],
                "dimension_code": dimension["code"],
                "dimension_name": dimension["name"]["fr"],
                "dimension_name_ar": dimension["name"]["ar"],
                "dimension_name_en": dimension["name"]["en"],
                "dimension_weight": dimension["weight"],
                "item_code": item["code"],
                "item_text": item["text"]["fr"],
                "item_text_ar": item["text"]["ar"],
                "item_text_en": item["text"]["en"],
            }
            for number, level in enumerate(item["levels"], start=1):
                row[f"level_{number}"] = level["description"]["fr"]
                row[f"level_{number}_ar"] = level["description"]["ar"]
                row[f"level_{number}_en"] = level["description"]["en"]
                for language in LANGUAGES:
                    row[_col(f"evidence_{number}", language)] = level["evidence"][language]
            dataset.append([_cell(row.get(column, "")) for column in COLUMNS])
    return dataset


def to_xlsx(data):
    return to_dataset(data).export("xlsx")


def _uncell(value):
    text = "" if value is None else str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def from_xlsx(content):
    """Framework data read from the XLSX bytes ``content``. Refuses oversized or inflated files
    before opening them (openpyxl reads through defusedxml)."""
    if len(content) > MAX_XLSX_BYTES:
        raise ValidationError(_("This spreadsheet is too large (5 MB at most)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise ValidationError(_("This file is not an XLSX spreadsheet.")) from None
    if sum(info.file_size for info in infos) > MAX_XLSX_INFLATED or len(infos) > 200:
        raise ValidationError(_("This spreadsheet is too large once uncompressed."))
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("This file is not a readable XLSX spreadsheet.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    missing = [
        column for column in COLUMNS if column not in header and column not in OPTIONAL_COLUMNS
    ]
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    records = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise ValidationError(_("Too many rows (%(max)s at most).") % {"max": MAX_ROWS})
        values = (list(values) + [None] * len(header))[: len(header)]
        record = {
            column: _uncell(value).strip() for column, value in zip(header, values, strict=True)
        }
        if any(record.values()):
            records.append(record)
    workbook.close()
    return _records_to_data(records)


def _records_to_data(records):
    if not records:
        raise ValidationError(_("The spreadsheet has no item rows."))
    first = records[0]
    data = {
        "code": first["framework_code"],
        "target": first["framework_target"] or "associations",
        "name": {language: first[_col("framework_name", language)] for language in LANGUAGES},
        "description": first["framework_description"],
        "dimensions": [],
    }
    dimensions = {}
    for record in records:
        code = record["dimension_code"]
        if code not in dimensions:
            try:
                weight = Decimal(record["dimension_weight"] or "1")
            except ArithmeticError:
                raise ValidationError(
                    _("Weight “%(weight)s” of dimension “%(code)s” is not a number.")
                    % {"weight": record["dimension_weight"], "code": code}
                ) from None
            dimensions[code] = {
                "code": code,
                "name": {
                    language: record[_col("dimension_name", language)] for language in LANGUAGES
                },
                "weight": weight,
                "items": [],
            }
            data["dimensions"].append(dimensions[code])
        dimensions[code]["items"].append(
            {
                "code": record["item_code"],
                "text": {language: record[_col("item_text", language)] for language in LANGUAGES},
                "levels": [
                    {
                        "description": {
                            language: record[_col(f"level_{number}", language)]
                            for language in LANGUAGES
                        },
                        "evidence": {
                            language: record.get(_col(f"evidence_{number}", language), "")
                            for language in LANGUAGES
                        },
                    }
                    for number in (1, 2, 3, 4)
                ],
            }
        )
    return data


def _col(prefix, language):
    return prefix if language == "fr" else f"{prefix}_{language}"
