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


# Knowledge tests ----------------------------------------------------------------------------


def quiz_key(questions):
    """``{question id: (kind, set of correct choice ids)}`` for a quiz's ``questions`` stream.
    A true/false statement's choice ids are ``"true"`` and ``"false"``."""
    key = {}
    for block in questions:
        if block.block_type == "true_false":
            key[block.id] = (block.block_type, {block.value["answer"]})
        else:
            correct = {
                choice.id
                for choice in block.value["choices"].bound_blocks
                if choice.value["correct"]
            }
            key[block.id] = (block.block_type, correct)
    return key


def quiz_score(key, answers):
    """The score of ``answers`` (``{question id: iterable of chosen ids}``) against ``key``
    (from ``quiz_key``), in percent with two decimals: each question is worth one point, won
    only when the chosen set is exactly the correct set (a multiple-choice question with one
    correct box missing, or one wrong box ticked, wins nothing). Unanswered questions score 0;
    answers to questions the quiz no longer has are ignored. ``None`` for a quiz without
    questions."""
    if not key:
        return None
    points = sum(
        1
        for question_id, (_kind, correct) in key.items()
        if correct and set(answers.get(question_id) or ()) == correct
    )
    return (Decimal(points) * 100 / len(key)).quantize(Decimal("0.01"))


def knowledge_gain(pre, post):
    """Post-test minus pre-test score, in points; ``None`` when either is missing (a person
    with only one of the two is counted apart, never as a zero)."""
    if pre is None or post is None:
        return None
    return post - pre
