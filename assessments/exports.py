"""A diagnostic's answers as a spreadsheet (the caller has checked the user's scope)."""

import tablib

from assessments.framework_io import _cell
from assessments.selectors import diagnostic_items, scores_for


def diagnostic_xlsx(diagnostic):
    items = diagnostic_items(diagnostic)
    answers = tablib.Dataset(
        headers=["dimension", "item_code", "question", "level", "comment"], title="responses"
    )
    for item in items:
        response = item.response
        answers.append(
            [
                _cell(item.dimension.code),
                _cell(item.code),
                _cell(item.label),
                response.level if response and response.level else "",
                _cell(response.comment if response else ""),
            ]
        )
    result = scores_for([diagnostic])[diagnostic.pk]
    scores = tablib.Dataset(headers=["dimension", "score", "answered", "total"], title="scores")
    for dimension in result.dimensions:
        score = "" if dimension.score is None else round(dimension.score, 1)
        scores.append([_cell(dimension.code), score, dimension.answered, dimension.total])
    book = tablib.Databook([answers, scores])
    return book.export("xlsx")
