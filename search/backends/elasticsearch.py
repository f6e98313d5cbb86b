"""The Elasticsearch backend: the plan as `multi_match`/`match_phrase` clauses, one request per search.

Elasticsearch gets only clauses built from the plan's tokens - never query_string - as `bool.should`
groups that each need one of their tokens (recall first: BM25 ranks by how much matches).
Popular and helpful items rank higher through `function_score` on the stored `rank_boost`; a `rescore`
of the best hits (build_rescore) then favours those that have the query's words near each other. The
audience filter (from the user, search.policies) is always applied. Any failure to answer - a node pool
with no live node, a timeout on every node tried, a missing index - is `BackendUnavailable`.
"""

import logging
import time

from elasticsearch import ApiError, NotFoundError, TransportError

from search import client as es
from search import plan as weights
from search import registry
from search.backends.base import (
    BackendUnavailable,
    BaseSearchBackend,
    Facet,
    SearchHit,
    SearchResults,
    decorate,
    kind_facets,
)
from search.indexing.lifecycle import alias_name
from search.plan import (
    COVERAGE_BOOST,
    COVERAGE_MSM,
    FACET_COUNTS,
    FIELDS,
    MSM,
    PHRASE_BOOST,
    STREAM_BOOST,
    dedupe,
    proximity_pairs,
)

logger = logging.getLogger(__name__)

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
# Answer from the copies on the node the client asked (every node holds every index: indexing.lifecycle), so a
# hung node elsewhere never holds a search up; the client retries a node that does not answer on another.
LOCAL = "_local"
ES_ERRORS = (ApiError, TransportError, ConnectionError, TimeoutError)
EMPTY_AGGS = {name: {"v": {"buckets": []}} for name in ("kinds", "facets", "tags", "channels")}


def aliases(audiences=None):
    """The kinds' aliases; given the audiences of a search, only the kinds that may hold a document for them."""
    return ",".join(
        alias_name(kind)
        for kind, doc_class in registry.kinds().items()
        if audiences is None or doc_class.only_audiences is None or doc_class.only_audiences & audiences
    )


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
            if alt.source == "query" and len(tokens) > 1:
                should.append(
                    {
                        "multi_match": {
                            "query": " ".join(tokens),
                            "fields": fields,
                            "type": "best_fields",
                            "operator": "or",
                            "minimum_should_match": COVERAGE_MSM[stream],
                            "boost": round(COVERAGE_BOOST * STREAM_BOOST[stream], 3),
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
    boolean = {"should": should, "minimum_should_match": 1, "filter": filters}
    if plan.exclude:
        boolean["must_not"] = excluded(plan.exclude)
    return {
        "function_score": {
            "query": {"bool": boolean},
            "field_value_factor": {"field": "rank_boost", "missing": 1, "modifier": "none"},
            "boost_mode": "multiply",
        }
    }


def build_rescore(plan, request):
    """The rescoring stage (search.plan.RESCORE_*): a phrase-proximity query over the first pass's best hits."""
    pairs = proximity_pairs(plan)
    if not pairs or weights.RESCORE_WEIGHT <= 0:
        return None
    should = [
        {"match_phrase": {f"{field}_{stream}": {"query": f"{a} {b}", "slop": weights.RESCORE_SLOP, "boost": boost}}}
        for stream, a, b in pairs
        for field, boost in weights.RESCORE_FIELDS.items()
    ]
    return {
        "window_size": max(weights.RESCORE_WINDOW, request.offset + request.size),
        "query": {
            "rescore_query": {"bool": {"should": should}},
            "query_weight": 1.0,
            "rescore_query_weight": weights.RESCORE_WEIGHT,
            "score_mode": "total",
        },
    }


def excluded(pairs):
    """must_not clauses for (kind, pk) pairs, one per kind."""
    by_kind = {}
    for kind, pk in sorted(pairs):
        by_kind.setdefault(kind, []).append(pk)
    return [
        {"bool": {"filter": [{"term": {"kind": kind}}, {"terms": {"object_pk": pks}}]}} for kind, pks in by_kind.items()
    ]


def user_filters(request):
    """{name: clause} of the filters the user picked; facet counts leave their own filter out."""
    clauses = {}
    for name, value in request.filters().items():
        clauses[name] = {"term": {name: value}} if isinstance(value, str) else {"terms": {name: list(value)}}
    return clauses


def _except(filters, name):
    clauses = [clause for key, clause in filters.items() if key != name]
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def facet_aggs(filters, names=FACET_COUNTS):
    """Counts by type, category/board/series, tag and channel (those `names`); each leaves out its own filter."""
    aggs = {
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
    return {name: agg for name, agg in aggs.items() if name in names}


class ElasticsearchBackend(BaseSearchBackend):
    name = "elasticsearch"

    def search(self, plan):
        return self.search_many([plan])[0]

    def search_many(self, plans):
        """SearchResults for each plan, all in one round trip (msearch)."""
        try:
            return self._search_many(plans)
        except NotFoundError as exc:
            raise BackendUnavailable("an index is missing", missing_index=True) from exc
        except ES_ERRORS as exc:
            raise BackendUnavailable(type(exc).__name__) from exc

    def suggest(self, prefix, audiences, locale, size, exclude=frozenset()):
        try:
            return self._suggest(prefix, audiences, locale, size, exclude)
        except NotFoundError as exc:
            raise BackendUnavailable("an index is missing", missing_index=True) from exc
        except ES_ERRORS as exc:
            raise BackendUnavailable(type(exc).__name__) from exc

    @staticmethod
    def search_body(plan):
        """One search as msearch's (header, body): its page of hits and, when asked, the counts the caller shows.

        The counts are aggregations of the same search (the user's filters are a post_filter, which the hits
        obey and the counts do not; each count leaves out its own filter), so the matches are visited once.
        The whole answer is kept in Elasticsearch's shard request cache (request_cache: the query has no
        clock or random part), so a repeated search costs the node only the fetch of its page. A refresh
        that makes a change searchable clears the cache of that index: hits and counts are never stale.
        Only the indices of kinds that may hold a document for the user's audiences are asked.
        """
        request = plan.request
        filters = user_filters(request)
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
        rescore = build_rescore(plan, request)
        if rescore:
            body["rescore"] = rescore
        if request.with_facets and request.facet_counts:
            body["aggs"] = facet_aggs(filters, request.facet_counts)
        return {"index": aliases(request.audiences), "request_cache": True, "preference": LOCAL}, body

    def _search_many(self, plans):
        searches = [part for plan in plans for part in self.search_body(plan)]
        answer = es.get_client().msearch(searches=searches)
        for part in answer["responses"]:
            if "error" in part:  # msearch reports per search: the same outcomes as a failed search
                status = part.get("status", 500)
                raise (NotFoundError if status == 404 else ApiError)(
                    message=str(part["error"])[:300], meta=answer.meta, body=part
                )
        return [self._results(plan, response) for plan, response in zip(plans, answer["responses"], strict=True)]

    def _results(self, plan, response):
        request = plan.request
        aggs = {**EMPTY_AGGS, **(response.get("aggregations") or {})}
        results = SearchResults(
            query=request.query,
            total=response["hits"]["total"]["value"],
            took_ms=float(response["took"]),
            backend=self.name,
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

    def _suggest(self, prefix, audiences, locale, size, exclude):
        locales = [locale] if locale else ["zh-hans", "en"]
        body = {
            "_source": ["title", "url", "kind", "object_pk"],
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
        response = es.get_client().search(index=aliases(), body=body, preference=LOCAL)
        suggestions, seen = [], set()
        for option in response["suggest"]["titles"][0]["options"]:
            key = (option["_index"], option["_id"])
            if key in seen:
                continue
            seen.add(key)
            src = option["_source"]
            if (src["kind"], src.get("object_pk")) in exclude:
                continue
            suggestions.append({"title": src["title"], "url": src["url"], "kind": src["kind"]})
            if len(suggestions) >= size:
                break
        logger.debug("search: suggest took %.1f ms", (time.perf_counter() - started) * 1000)
        return suggestions
