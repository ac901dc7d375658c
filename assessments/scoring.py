"""The diagnostic score definitions, one function each (DESIGN.md, "Diagnostic score").

Levels run from 1 (absent) to 4 (established). Unanswered items are left out of every mean and
shown as completeness instead. Scores of different framework versions are only ever compared
dimension by dimension, through the dimension's code.
"""

from dataclasses import dataclass, field
from decimal import Decimal


def dimension_score(levels):
    """0-100 score of one dimension: ``(mean level - 1) / 3 * 100`` over its answered items
    (``None`` levels are unanswered and left out); ``None`` when nothing is answered."""
    answered = [level for level in levels if level is not None]
    if not answered:
        return None
    mean = sum(answered) / len(answered)
    return (mean - 1) / 3 * 100


def overall_index(scores, weights=None):
    """Mean of the dimension scores (``{code: score}``), weighted by ``weights`` (``{code:
    weight}``, default 1). Dimensions without a score are left out; ``None`` if none has one."""
    weights = weights or {}
    total = weight_sum = 0.0
    for code, score in scores.items():
        if score is None:
            continue
        weight = float(weights.get(code, 1))
        total += score * weight
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def completeness(answered, total):
    """Share of the framework's items that have a level, 0-100 (100 for an empty framework)."""
    if total == 0:
        return 100.0
    return answered / total * 100


def progress(baseline, latest):
    """Change per dimension code, latest validated minus baseline (``{code: score}`` each).
    Only codes scored in both count; a dimension new in a later version has no change."""
    return {
        code: latest[code] - baseline[code]
        for code in latest
        if code in baseline and latest[code] is not None and baseline[code] is not None
    }


@dataclass
class DimensionResult:
    code: str
    label: str
    weight: Decimal
    total: int
    levels: list = field(default_factory=list)

    @property
    def answered(self):
        return sum(level is not None for level in self.levels)

    @property
    def score(self):
        return dimension_score(self.levels)


@dataclass
class DiagnosticResult:
    """The scores of one diagnostic, computed by the functions above."""

    dimensions: list

    @property
    def by_code(self):
        return {dimension.code: dimension.score for dimension in self.dimensions}

    @property
    def overall(self):
        weights = {dimension.code: dimension.weight for dimension in self.dimensions}
        return overall_index(self.by_code, weights)

    @property
    def answered(self):
        return sum(dimension.answered for dimension in self.dimensions)

    @property
    def total(self):
        return sum(dimension.total for dimension in self.dimensions)

    @property
    def completeness(self):
        return completeness(self.answered, self.total)
