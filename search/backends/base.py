"""What every search backend is and returns, in the shape of Wagtail's search backends
(wagtail/search/backends/base.py: a backend class with `search`, results as plain objects).

A backend gets a finished QueryPlan (search.plan) and answers with SearchResults; it never plans, never
chooses another backend and never imports one. Choosing - Elasticsearch when it answers, else the
database, and saying so - is search.queries' job. A backend that cannot answer right now raises
`BackendUnavailable`; bad input never raises (the plan has already made it safe).
"""

import functools
import math
from dataclasses import dataclass, field

from search import analysis, highlight, registry
from search.plan import DEFAULT_PAGE_SIZE, MAX_PAGE


class BackendUnavailable(Exception):
    """The backend cannot answer now (engine down, index missing); another one should."""

    def __init__(self, reason, *, missing_index=False):
        super().__init__(reason)
        self.reason = reason
        self.missing_index = missing_index


@dataclass
class SearchHit:
    kind: str
    pk: str
    title: str
    url: str
    locale: str
    audience: str
    slug: str = ""
    summary: str = ""
    notes: str = ""
    facet: str = ""
    facet_label: str = ""
    tags: list = field(default_factory=list)
    channels: list = field(default_factory=list)
    accepted: bool = False
    score: float = 0.0
    title_html: str = ""
    snippet_html: str = ""
    position: int = 0
    body: str = ""  # text the snippet is cut from (not sent to clients whole)

    @property
    def kind_label(self):
        doc_class = registry.all_kinds().get(self.kind)
        return doc_class.label if doc_class else self.kind

    def as_dict(self, with_notes):
        data = {
            "kind": self.kind,
            "id": self.pk,
            "title": self.title,
            "title_html": str(self.title_html),
            "url": self.url,
            "locale": self.locale,
            "audience": self.audience,
            "snippet_html": str(self.snippet_html),
            "short_answer": self.summary,
            "facet": {"key": self.facet, "label": self.facet_label},
            "tags": list(self.tags),
            "channels": list(self.channels),
            "accepted": self.accepted,
            "score": round(self.score, 4),
            "position": self.position,
        }
        if with_notes:
            data["agent_notes"] = self.notes
        return data


@dataclass
class Facet:
    key: str
    label: str
    count: int
    kind: str = ""


@dataclass
class SearchResults:
    query: str
    hits: list = field(default_factory=list)
    total: int = 0
    kinds: list = field(default_factory=list)  # [Facet] by kind
    facets: list = field(default_factory=list)  # [Facet] category / board / series
    tags: list = field(default_factory=list)
    channels: list = field(default_factory=list)
    took_ms: float = 0.0  # the engine's own time
    backend: str = "database"
    degraded: bool = False  # Elasticsearch is configured but did not answer (or is behind): may be incomplete
    did_you_mean: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @property
    def pages(self):
        return max(1, math.ceil(min(self.total, MAX_PAGE * self.size) / self.size))


def kind_facets(counts):
    """[Facet] per available kind, in registry order, with the counts given (0 when absent).

    A staff-only kind (messages) shows only when it has results, so customers never see it named."""
    return [
        Facet(name, str(cls.label), counts.get(name, 0))
        for name, cls in registry.kinds().items()
        if counts.get(name) or not getattr(cls, "staff_only", False)
    ]


@functools.lru_cache(maxsize=2048)
def _marked(title, text, terms, stems, _config_version):
    """(title, snippet) of a document for these words, escaped and marked, kept per process.

    The same documents come back for the same words (a popular question, the next page, the other
    backend's answer), and marking them was a fifth of a results page's CPU. The key holds the texts
    themselves (a changed document is another key) and the analysis configuration (variant forms).
    """
    return highlight.highlight(title, terms, stems), highlight.snippet(text, terms, stems)


def decorate(hit, plan, position):
    terms, stems = plan.terms, plan.stems
    hit.title_html, hit.snippet_html = _marked(
        hit.title, hit.body or hit.summary, tuple(terms), frozenset(stems), analysis.current_config_version()
    )
    hit.position = position
    doc_class = registry.all_kinds().get(hit.kind)
    if hasattr(doc_class, "decorate_hit"):  # a kind may point a hit at a place inside its object
        doc_class.decorate_hit(hit, terms, stems)
    return hit


class BaseSearchBackend:
    """One search engine. Subclasses set `name` and implement `search` and `suggest`."""

    name = ""

    def search(self, plan):
        """SearchResults for `plan` (its request gives filters, audiences, language and page)."""
        raise NotImplementedError

    def suggest(self, prefix, audiences, locale, size):
        """[{"title", "url", "kind"}] of titles that complete the normalised `prefix`."""
        raise NotImplementedError

    def empty_results(self, request):
        # Nothing searchable was left (only stop words or punctuation): no engine ran, and the answer says so.
        return SearchResults(
            query=request.query, kinds=kind_facets({}), page=request.page, size=request.size, backend="none"
        )
