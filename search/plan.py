"""The query plan: what a search asks for, analysed once and handed to whichever backend answers.

A `SearchRequest` (query text, audiences, language, the user's filters, page) becomes a `QueryPlan`: the
query cleaned and normalised, analysed into words, bigrams and stems (search.analysis), and widened with
staff synonyms and a spelling correction, each an *alternative* with a lower weight. The plan also carries
the request, so a backend (search.backends) gets everything it needs - the tokens, the alternatives, the
filters and the audience filter that is always applied - from one object, built once per search.

The scoring constants below are shared by both backends: Elasticsearch turns them into clauses, the
database backend applies the very same rules to its candidates in Python.
"""

import math
from dataclasses import dataclass

from search import analysis, spelling, synonyms

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_PAGE = 50  # deeper pages are not useful and cost the engines most
SUGGEST_SIZE = 8
# The counts a search can ask for (SearchRequest.facet_counts): by type, by category/board/series, tag, channel.
FACET_COUNTS = ("kinds", "facets", "tags", "channels")

WEIGHT_QUERY = 1.0
WEIGHT_SYNONYM = 0.7
WEIGHT_CORRECTION = 0.6
# minimum_should_match per token group: recall first - a candidate needs one token of a group, never most of
# them, and BM25 ranks by how much matches. Requiring most of the words dropped the right article of long,
# chatty questions before ranking (issue 14: 434 of 502 short result lists never had it as a candidate).
MSM = {"words": "1", "bigrams": "1", "stems": "1"}
# ...and a document that has most of the query's own words scores more: the former requirement, now a bonus
# clause of the query (not of synonyms or corrections) - ranking by how much matches instead of dropping.
COVERAGE_MSM = {"words": "1<-1 3<60% 6<50%", "bigrams": "2<-1 4<60% 8<50%", "stems": "1<-1 3<60% 6<50%"}
COVERAGE_BOOST = 0.5
STREAM_BOOST = {"words": 1.0, "bigrams": 0.7, "stems": 1.0}
FIELDS = {
    stream: [(f"title_{stream}", 3.0), (f"body_{stream}", 1.0), (f"notes_{stream}", 0.6)]
    for stream in ("words", "bigrams", "stems")
}
PHRASE_BOOST = 1.5
MAX_SYNONYMS = 3
# The rescoring stage (a second pass over the best RESCORE_WINDOW candidates of the first): each pair of the
# query's consecutive words (or stems) found near each other - in order, at most RESCORE_SLOP words apart -
# in the title or the body adds RESCORE_WEIGHT times its phrase score. 0 turns the stage off. Chosen on the
# tuning set (search/relevance/tuning.jsonl; weights 0.25-2, slop 0-15: 0.5 and 8 best); on the held-out
# evaluation set it lifts Elasticsearch's MRR@10 0.893 -> 0.898 (r@1 0.826 -> 0.835) and the database's
# 0.894 -> 0.895 (r@5 0.974 -> 0.977).
RESCORE_WINDOW = 50
RESCORE_WEIGHT = 0.5
RESCORE_SLOP = 8
RESCORE_FIELDS = {"title": 3.0, "body": 1.0}
MAX_PAIRS = 8


@dataclass
class SearchRequest:
    query: str
    audiences: frozenset
    locale: str | None = None
    kinds: tuple = ()  # filter: empty means every kind
    facet: str = ""
    tags: tuple = ()
    channels: tuple = ()
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    with_facets: bool = True  # counts by type, facet, tag and channel (the page shows them; the API asks)
    # ...and which of them: the search page shows types and categories only, so it leaves tags and channels out
    facet_counts: tuple = FACET_COUNTS

    def __post_init__(self):
        self.size = max(1, min(MAX_PAGE_SIZE, int(self.size)))
        self.page = max(1, min(MAX_PAGE, int(self.page)))

    @property
    def with_notes(self):
        return "agents" in self.audiences

    @property
    def offset(self):
        return (self.page - 1) * self.size

    def filters(self):
        """{name: values} of the filters the user picked (kind, facet, tags, channels), empty ones left out."""
        picked = {"kind": tuple(self.kinds), "facet": self.facet, "tags": tuple(self.tags)}
        picked["channels"] = tuple(self.channels)
        return {name: value for name, value in picked.items() if value}


@dataclass(frozen=True)
class Alternative:
    text: str  # normalised
    analysed: analysis.Analysed
    weight: float
    source: str  # "query", "synonym" or "correction"


@dataclass
class QueryPlan:
    query: str
    normalised: str
    alternatives: list
    did_you_mean: str = ""
    request: SearchRequest | None = None  # the filters, audiences, language and page this plan answers
    # (kind, pk) the backend must leave out: changes the index has not taken yet (search.queries)
    exclude: frozenset = frozenset()

    @property
    def terms(self):
        """Chinese words and bigrams to mark in snippets (longest first)."""
        # Bigrams of synonyms and corrections would light up unrelated words ("网银" inside "网银盾").
        words = {w for a in self.alternatives for w in a.analysed.words}
        words |= {b for a in self.alternatives if a.source == "query" for b in a.analysed.bigrams}
        return sorted(words, key=len, reverse=True)

    @property
    def stems(self):
        return {s for a in self.alternatives for s in a.analysed.stems}


def proximity_pairs(plan):
    """[(stream, first, second)]: consecutive distinct words and stems of the query itself (not synonyms)."""
    pairs = []
    for alt in plan.alternatives:
        if alt.source != "query":
            continue
        for stream in ("words", "stems"):
            tokens = getattr(alt.analysed, stream)
            pairs += [(stream, a, b) for a, b in zip(tokens, tokens[1:], strict=False) if a != b]
    return dedupe(pairs)[:MAX_PAIRS]


def dedupe(tokens):
    return list(dict.fromkeys(tokens))


def required(count, spec):
    """How many of `count` optional clauses a minimum_should_match spec such as "1<-1 3<60%" needs.

    Elasticsearch's rules: each "N<V" applies when there are more than N clauses (the last that applies
    wins; with none, all are required); V is a count or a percentage, negative meaning "all but",
    percentages rounded down; the result is kept between 1 and `count`.
    """
    needed = count
    for part in spec.split():
        if "<" not in part:  # a plain count or percentage: applies to any number of clauses
            part = f"0<{part}"
        limit, _sep, value = part.partition("<")
        if count <= int(limit):
            break
        if value.endswith("%"):
            percent = int(value[:-1])
            share = math.floor(count * abs(percent) / 100)
            needed = count - share if percent < 0 else share
        else:
            number = int(value)
            needed = count + number if number < 0 else number
    return max(1, min(count, needed))


def _useful_synonyms(terms, locale):
    """Synonyms worth searching in this language: Chinese terms for Chinese content, Latin ones for English.

    (A mixed query such as "USB Key 没反应" on Chinese content still gets "u盾".) Capped, because every
    alternative adds clauses to every search.
    """
    if locale == "zh-hans":
        terms = [t for t in terms if analysis.contains_cjk(t)]
    elif locale == "en":
        terms = [t for t in terms if not analysis.contains_cjk(t)]
    return terms[:MAX_SYNONYMS]


def plan_query(query, audiences, locale=None, request=None):
    """Analyse a cleaned query; None when nothing searchable is left (only punctuation, stop words...)."""
    normalised = analysis.normalise(query)
    main = analysis.analyse(normalised, normalised=True)
    alternatives = []
    if main:
        alternatives.append(Alternative(normalised, main, WEIGHT_QUERY, "query"))
    for term in _useful_synonyms(synonyms.alternatives(normalised, main.stems), locale):
        analysed = analysis.analyse(term, normalised=True)
        if analysed:
            alternatives.append(Alternative(term, analysed, WEIGHT_SYNONYM, "synonym"))
    did_you_mean = ""
    corrected = spelling.correct(normalised, audiences) if main else None
    if corrected and corrected != normalised:
        analysed = analysis.analyse(corrected, normalised=True)
        if analysed:
            alternatives.append(Alternative(corrected, analysed, WEIGHT_CORRECTION, "correction"))
            did_you_mean = corrected
    if not alternatives:
        return None
    return QueryPlan(
        query=query, normalised=normalised, alternatives=alternatives, did_you_mean=did_you_mean, request=request
    )


def plan_for(request):
    """The plan of a SearchRequest (None when its query has nothing searchable)."""
    if not request.query:
        return None
    return plan_query(request.query, request.audiences, request.locale, request=request)
