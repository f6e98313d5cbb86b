"""Snippets and highlighted titles, computed in Python on the original text (both backends alike).

The text is normalised the same way as for indexing (so 網銀 in a document lights up for a query 网银),
matched against the query's words, bigrams and stems, escaped, and only then wrapped in <mark>: no
document or query text ever reaches the page unescaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search import analysis

ELLIPSIS = "…"


def _normalised_with_map(text):
    """(normalised text, map from normalised index to original index)."""
    norm = analysis.normalise(text)
    if len(norm) == len(text):
        return norm, None
    pieces, mapping = [], []
    for index, char in enumerate(text):
        piece = analysis.normalise(char)
        pieces.append(piece)
        mapping.extend([index] * len(piece))
    return "".join(pieces), mapping


def match_spans(text, terms, stems):
    """Sorted, merged (start, end) spans of `text` (original indices) matching the query."""
    if not text:
        return []
    norm, mapping = _normalised_with_map(text)
    spans = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = norm.find(term, start + len(term))
    if stems:
        for match in analysis.ALNUM_RE.finditer(norm):
            word = match.group(0)
            if not analysis.CJK_RE.search(word) and analysis.stem(word) in stems:
                spans.append(match.span())
    if mapping is not None:
        spans = [(mapping[s], mapping[e - 1] + 1) for s, e in spans if e - 1 < len(mapping)]
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text, spans, start, end):
    out, position = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[position:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text, terms, stems):
    """The whole text, escaped, with matches marked (for titles)."""
    return mark_safe(_render(text or "", match_spans(text or "", terms, stems), 0, len(text or "")))  # noqa: S308


def snippet(text, terms, stems, length=140):
    """About `length` characters of `text` around the densest cluster of matches, escaped and marked."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return mark_safe("")  # noqa: S308
    source = text[:8000]
    spans = match_spans(source, terms, stems)
    if not spans:
        cut = source[:length]
        return mark_safe(escape(cut) + (ELLIPSIS if len(text) > length else ""))  # noqa: S308
    best_start, best_score = spans[0][0], -1
    for i, (s, _e) in enumerate(spans):
        covered = {source[a:b].lower() for a, b in spans[i:] if b <= s + length}
        score = len(covered) * 10 + sum(1 for a, b in spans[i:] if b <= s + length)
        if score > best_score:
            best_start, best_score = s, score
    start = max(0, best_start - length // 5)
    # Start at a word or sentence boundary when one is close.
    boundary = max(source.rfind(p, max(0, start - 15), best_start) for p in ("。", "！", "？", ". ", "；", "，", " "))
    if boundary != -1 and boundary >= start - 15:
        start = boundary + 1
    end = min(len(source), start + length)
    html = _render(source, spans, start, end).strip()
    return mark_safe((ELLIPSIS if start > 0 else "") + html + (ELLIPSIS if end < len(text) else ""))  # noqa: S308
