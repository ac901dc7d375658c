"""The radar chart as plain geometry, drawn by a template as SVG polygons: no script, no
library, the same picture in every language (axes are numbered; names sit in the table)."""

import math

SIZE = 320
CENTRE = SIZE / 2
RADIUS = 120
RINGS = (25, 50, 75, 100)


def _point(index, count, value):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(0.0, min(100.0, value)) / 100
    return CENTRE + distance * math.cos(angle), CENTRE + distance * math.sin(angle)


def _points(values, count):
    return " ".join(
        "{:.1f},{:.1f}".format(*_point(index, count, value or 0))
        for index, value in enumerate(values)
    )


def radar(axes, series):
    """Geometry of a radar chart. ``axes`` is a list of labels (numbered in the picture);
    ``series`` a list of ``(css_class, label, [score 0-100 or None per axis])``."""
    count = len(axes)
    if count < 3:
        return None
    axis_lines = []
    for index, label in enumerate(axes):
        x, y = _point(index, count, 100)
        lx, ly = _point(index, count, 113)
        anchor = "middle" if abs(lx - CENTRE) < 8 else ("start" if lx > CENTRE else "end")
        axis_lines.append(
            {
                "x": f"{x:.1f}",
                "y": f"{y:.1f}",
                "label_x": f"{lx:.1f}",
                "label_y": f"{ly + 4:.1f}",
                "anchor": anchor,
                "number": index + 1,
                "label": label,
            }
        )
    return {
        "size": SIZE,
        "centre": f"{CENTRE:.1f}",  # a string: templates would localise a float to "160,0"
        "rings": [_points([ring] * count, count) for ring in RINGS],
        "axes": axis_lines,
        "series": [
            {"css_class": css_class, "label": label, "points": _points(values, count)}
            for css_class, label, values in series
        ],
    }
