"""The read side of search: one interface (`search`, `suggest`) over Elasticsearch and the database.

A query is cleaned (search.analysis.clean_query), analysed into words, bigrams and stems, and widened
with staff synonyms and a spelling correction (each an *alternative* with a lower weight). Elasticsearch
gets only `multi_match`/`match_phrase` clauses built from those tokens - never query_string - as
`bool.should` groups that each need most, not all, of their tokens ("2<70%": up to two tokens all of
them, beyond that 70%). Popular and helpful items rank higher through `function_score` on the stored
`rank_boost`. The audience filter (from the user, search.policies) is always applied.

When Elasticsearch is not configured, down, or its index is missing, search.fallback answers from the
database with the same plan, results and facets, and `degraded` says results may be incomplete.
"""

import logging
import math
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from elasticsearch import ApiError, NotFoundError, TransportError

from search import analysis, highlight, registry, spelling, synonyms
from search import client as es

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_PAGE = 50  # deeper pages are not useful and cost the engines most
SUGGEST_SIZE = 8

WEIGHT_QUERY = 1.0
WEIGHT_SYNONYM = 0.7
WEIGHT_CORRECTION = 0.6
# minimum_should_match per token group: one token needs itself; two or three need all but one; more
# need 60%, and beyond six 50% - so a long, chatty query still finds the article that has its key words.
MSM = {"words": "1<-1 3<60% 6<50%", "bigrams": "2<-1 4<60% 8<50%", "stems": "1<-1 3<60% 6<50%"}
STREAM_BOOST = {"words": 1.0, "bigrams": 0.7, "stems": 1.0}
FIELDS = {
    stream: [(f"title_{stream}", 3.0), (f"body_{stream}", 1.0), (f"notes_{stream}", 0.6)]
    for stream in ("words", "bigrams", "stems")
}
PHRASE_BOOST = 1.5
MAX_SYNONYMS = 3
# Totals are exact up to here ("1,000+" beyond): counting every match of a common word costs the most.
TRACK_TOTAL_HITS = 1000
SOURCE_FIELDS = [
    "kind",
    "object_pk",
    "locale",
    "audience",
    "slug",
    "title",
    "url",
    "summary",
    "body",
    "facet",
    "facet_label",
    "tags",
    "channels",
    "accepted",
    "rank_boost",
    "updated_at",
]
ES_ERRORS = (ApiError, TransportError, ConnectionError, TimeoutError)
EMPTY_AGGS = {name: {"v": {"buckets": []}} for name in ("kinds", "facets", "tags", "channels")}


# --- The query plan ----------------------------------------------------------------------------------------


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


def plan_query(query, audiences, locale=None):
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
    return QueryPlan(query=query, normalised=normalised, alternatives=alternatives, did_you_mean=did_you_mean)


# --- Requests and results ----------------------------------------------------------------------------------


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

    def __post_init__(self):
        self.size = max(1, min(MAX_PAGE_SIZE, int(self.size)))
        self.page = max(1, min(MAX_PAGE, int(self.page)))

    @property
    def with_notes(self):
        return "agents" in self.audiences

    @property
    def offset(self):
        return (self.page - 1) * self.size


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
    degraded: bool = False  # Elasticsearch is configured but did not answer
    did_you_mean: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @property
    def pages(self):
        return max(1, math.ceil(min(self.total, MAX_PAGE * self.size) / self.size))


def kind_facets(counts):
    """[Facet] per available kind, in registry order, with the counts given (0 when absent)."""
    return [Facet(name, str(cls.label), counts.get(name, 0)) for name, cls in registry.kinds().items()]


def decorate(hit, plan, position):
    terms, stems = plan.terms, plan.stems
    hit.title_html = highlight.highlight(hit.title, terms, stems)
    hit.snippet_html = highlight.snippet(hit.body or hit.summary, terms, stems)
    hit.position = position
    return hit


# --- Entry points ------------------------------------------------------------------------------------------


def search(request):
    """Search with Elasticsearch when it answers, else with the database. Never raises for bad input."""
    plan = plan_query(request.query, request.audiences, request.locale) if request.query else None
    if plan is None:
        return SearchResults(query=request.query, kinds=kind_facets({}), page=request.page, size=request.size)
    degraded = False
    if es.is_available():
        try:
            results = _search_elasticsearch(request, plan)
            es.report_success()
            return results
        except NotFoundError:
            logger.warning("search: an index is missing (run `manage.py search_rebuild`); answering from the database")
            degraded = True
        except ES_ERRORS as exc:
            logger.warning("search: Elasticsearch did not answer (%s); answering from the database", type(exc).__name__)
            es.report_failure()
            degraded = True
    elif es.is_configured():
        degraded = True
    from search import fallback

    results = fallback.search(request, plan)
    results.degraded = degraded
    return results


def suggest(query, audiences, locale=None, size=SUGGEST_SIZE):
    """Titles that complete what was typed: [{"title", "url", "kind"}]. Same audience rules as search."""
    query, _truncated = analysis.clean_query(query)
    prefix = analysis.normalise(query).strip()[:40]
    if not prefix:
        return []
    if es.is_available():
        try:
            return _suggest_elasticsearch(prefix, audiences, locale, size)
        except NotFoundError:
            pass
        except ES_ERRORS:
            es.report_failure()
    from search import fallback

    return fallback.suggest(prefix, audiences, locale, size)


# --- Elasticsearch -----------------------------------------------------------------------------------------


def _aliases():
    from search.indexing import alias_name

    return ",".join(alias_name(kind) for kind in registry.kinds())


def build_query(plan, request):
    should = []
    for alt in plan.alternatives:
        for stream in ("words", "bigrams", "stems"):
            if stream == "bigrams" and alt.source != "query" and alt.analysed.words:
                # Synonyms and corrections are dictionary words: their bigrams only add partial matches
                # (and a third of the clauses). Measured: took p95 45 -> 29 ms at 100,000 documents,
                # relevance MRR 0.951 -> 0.968 at the same recall@5.
                continue
            tokens = dedupe(getattr(alt.analysed, stream))
            if not tokens:
                continue
            fields = [
                f"{name}^{boost}"
                for name, boost in FIELDS[stream]
                if request.with_notes or not name.startswith("notes")
            ]
            should.append(
                {
                    "multi_match": {
                        "query": " ".join(tokens),
                        "fields": fields,
                        "type": "best_fields",
                        "tie_breaker": 0.3,
                        "operator": "or",
                        "minimum_should_match": MSM[stream],
                        "boost": round(alt.weight * STREAM_BOOST[stream], 3),
                    }
                }
            )
        for stream in ("words", "stems"):
            tokens = getattr(alt.analysed, stream)
            if len(tokens) > 1:
                should.append(
                    {
                        "match_phrase": {
                            f"title_{stream}": {
                                "query": " ".join(tokens),
                                "slop": 1,
                                "boost": round(alt.weight * PHRASE_BOOST, 3),
                            }
                        }
                    }
                )
    filters = [{"terms": {"audience": sorted(request.audiences)}}]
    if request.locale:
        filters.append({"term": {"locale": request.locale}})
    return {
        "function_score": {
            "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": filters}},
            "field_value_factor": {"field": "rank_boost", "missing": 1, "modifier": "none"},
            "boost_mode": "multiply",
        }
    }


def _user_filters(request):
    """{name: clause} of the filters the user picked; facet counts leave their own filter out."""
    filters = {}
    if request.kinds:
        filters["kind"] = {"terms": {"kind": list(request.kinds)}}
    if request.facet:
        filters["facet"] = {"term": {"facet": request.facet}}
    if request.tags:
        filters["tags"] = {"terms": {"tags": list(request.tags)}}
    if request.channels:
        filters["channels"] = {"terms": {"channels": list(request.channels)}}
    return filters


def _except(filters, name):
    clauses = [clause for key, clause in filters.items() if key != name]
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _facet_aggs(filters):
    """Counts by type, category/board/series, tag and channel; each leaves out its own filter."""
    return {
        "kinds": {"filter": _except(filters, "kind"), "aggs": {"v": {"terms": {"field": "kind", "size": 10}}}},
        "facets": {
            "filter": _except(filters, "facet"),
            "aggs": {
                "v": {
                    "terms": {"field": "facet", "size": 30},
                    "aggs": {
                        "label": {"terms": {"field": "facet_label", "size": 1}},
                        "kind": {"terms": {"field": "kind", "size": 1}},
                    },
                }
            },
        },
        "tags": {"filter": _except(filters, "tags"), "aggs": {"v": {"terms": {"field": "tags", "size": 30}}}},
        "channels": {
            "filter": _except(filters, "channels"),
            "aggs": {"v": {"terms": {"field": "channels", "size": 10}}},
        },
    }


def _search_elasticsearch(request, plan):
    """One msearch: the page of hits and, when asked, the facet counts as a separate size-0 search.

    Counting facets visits every match, most of the cost of a broad query; as a size-0 search it is answered
    from Elasticsearch's shard request cache until the index changes (the refresh that makes a change
    searchable also clears it), so a repeated query pays for its hits only and counts are never stale.
    """
    filters = _user_filters(request)
    query = build_query(plan, request)
    body = {
        "query": query,
        "from": request.offset,
        "size": request.size,
        "_source": [*SOURCE_FIELDS, "notes"] if request.with_notes else SOURCE_FIELDS,
        "track_total_hits": TRACK_TOTAL_HITS,
    }
    if filters:
        body["post_filter"] = {"bool": {"filter": list(filters.values())}}
    searches = [{"index": _aliases()}, body]
    if request.with_facets:
        counts = {"query": query, "size": 0, "track_total_hits": False, "aggs": _facet_aggs(filters)}
        searches += [{"index": _aliases(), "request_cache": True}, counts]
    answer = es.get_client().msearch(searches=searches)
    for part in answer["responses"]:
        if "error" in part:  # msearch reports per search: the same outcomes as a failed search
            status = part.get("status", 500)
            raise (NotFoundError if status == 404 else ApiError)(
                message=str(part["error"])[:300], meta=answer.meta, body=part
            )
    response = answer["responses"][0]
    if request.with_facets:
        response["aggregations"] = answer["responses"][1].get("aggregations")
    response["took"] = answer["took"]
    aggs = response.get("aggregations") or EMPTY_AGGS
    results = SearchResults(
        query=request.query,
        total=response["hits"]["total"]["value"],
        took_ms=float(response["took"]),
        backend="elasticsearch",
        did_you_mean=plan.did_you_mean,
        page=request.page,
        size=request.size,
        kinds=kind_facets({b["key"]: b["doc_count"] for b in aggs["kinds"]["v"]["buckets"]}),
        facets=[
            Facet(
                b["key"],
                (b["label"]["buckets"] or [{"key": b["key"]}])[0]["key"],
                b["doc_count"],
                (b["kind"]["buckets"] or [{"key": ""}])[0]["key"],
            )
            for b in aggs["facets"]["v"]["buckets"]
            if b["key"]
        ],
        tags=[Facet(b["key"], b["key"], b["doc_count"]) for b in aggs["tags"]["v"]["buckets"]],
        channels=[Facet(b["key"], b["key"], b["doc_count"]) for b in aggs["channels"]["v"]["buckets"]],
    )
    for position, raw in enumerate(response["hits"]["hits"], start=request.offset + 1):
        src = raw["_source"]
        hit = SearchHit(
            kind=src["kind"],
            pk=src["object_pk"],
            title=src["title"],
            url=src["url"],
            locale=src["locale"],
            audience=src["audience"],
            slug=src.get("slug", ""),
            summary=src.get("summary", ""),
            notes=src.get("notes", "") if request.with_notes else "",
            facet=src.get("facet", ""),
            facet_label=src.get("facet_label", ""),
            tags=src.get("tags", []),
            channels=src.get("channels", []),
            accepted=src.get("accepted", False),
            score=raw["_score"] or 0.0,
            body=f"{src.get('summary', '')} {src.get('body', '')}",
        )
        results.hits.append(decorate(hit, plan, position))
    return results


def _suggest_elasticsearch(prefix, audiences, locale, size):
    locales = [locale] if locale else ["zh-hans", "en"]
    body = {
        "_source": ["title", "url", "kind"],
        "suggest": {
            "titles": {
                "prefix": prefix,
                "completion": {
                    "field": "suggest",
                    "size": size * 2,
                    "skip_duplicates": True,
                    "contexts": {"scope": [f"{a}|{code}" for a in sorted(audiences) for code in locales]},
                },
            }
        },
    }
    started = time.perf_counter()
    response = es.get_client().search(index=_aliases(), body=body)
    suggestions, seen = [], set()
    for option in response["suggest"]["titles"][0]["options"]:
        key = (option["_index"], option["_id"])
        if key in seen:
            continue
        seen.add(key)
        src = option["_source"]
        suggestions.append({"title": src["title"], "url": src["url"], "kind": src["kind"]})
        if len(suggestions) >= size:
            break
    logger.debug("search: suggest took %.1f ms", (time.perf_counter() - started) * 1000)
    return suggestions


NO_RESULTS_HELP = _("Try fewer or different words, ask in the forum, or leave us a message.")
