"""Cells a spreadsheet would run as formulas: escaped on every export, given back on import."""

# A spreadsheet runs a cell starting with one of these as a formula (or, for tab and CR, lets
# the next character do so once the cell is pasted or re-saved).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """``value`` made safe for a spreadsheet: a text starting with ``= + - @``, a tab or a
    carriage return gets a leading apostrophe, so it is shown as text and never run as a
    formula. Every export writes every cell through this function."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(text):
    """The inverse of ``escape_cell``, for a sheet that comes back: ``"'+229 97"`` ->
    ``"+229 97"`` (only an apostrophe followed by a formula start is removed)."""
    if (
        isinstance(text, str)
        and text.startswith("'")
        and text[1:2]
        and text[1:].startswith(FORMULA_STARTS)
    ):
        return text[1:]
    return text
