"""Server-rendered SVG charts: bars or a line per trend, the previous period dashed, the target as a rule.

No script and no outside library: the markup is built here with every label escaped, so it works under the
admin's CSP and inside an e-mail. Each chart is drawn beside a table with the same numbers (screen readers
read the table; the SVG is aria-hidden).
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 36
ACTUAL, PREVIOUS, TARGET = "#2e6f9e", "#9aa5b1", "#c0392b"


def _nice_max(values):
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above the largest value (a readable axis)."""
    top = max([v for v in values if v is not None] or [0])
    if top <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(top))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= top)


def chart(labels, values, previous=None, target=None, bars=True, title=""):
    """An SVG of `values` (one per label), the previous period's values and a target; None values are gaps."""
    previous = previous or []
    scale_max = _nice_max([*values, *previous, target])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(values), 1)
    step = plot_w / count

    def x(index):
        return LEFT + step * index + step / 2

    def y(value):
        return TOP + plot_h - plot_h * (value / scale_max)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
        f' role="img" aria-hidden="true" class="ops-chart"><title>{escape(title)}</title>'
    ]
    for tick in range(5):
        value = scale_max * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e1e4e8"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{value:g}</text>'
        )
    if bars:
        width = max(step * 0.6, 1)
        for index, value in enumerate(values):
            if value is not None:
                parts.append(
                    f'<rect x="{x(index) - width / 2:.1f}" y="{y(value):.1f}" width="{width:.1f}"'
                    f' height="{TOP + plot_h - y(value):.1f}" fill="{ACTUAL}"/>'
                )
    for series, colour, dash in ((previous, PREVIOUS, ' stroke-dasharray="4 3"'), ([] if bars else values, ACTUAL, "")):
        points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series) if v is not None]
        if points:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}"'
            f' stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
    every = max(1, count // 7)
    for index, label in enumerate(labels):
        if index % every == 0 or index == count - 1:
            parts.append(
                f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="middle"'
                f' fill="#555">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and the title are escaped above
