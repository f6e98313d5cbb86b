"""The database backend of search: the same plan, results and facets as Elasticsearch, from SearchEntry.

Candidates come from the database's own full-text index over the entries' token columns (SQLite FTS5
with bm25, PostgreSQL to_tsvector('simple') with ts_rank; other databases: LIKE), limited to the
user's audiences and language in SQL. Then, in Python, each candidate is scored
with Elasticsearch's own query (search.backends.elasticsearch.build_query) computed by hand: Lucene's BM25
(k1 1.2, b 0.75) per field, each clause a `best_fields` multi_match (the best field plus 0.3 of the others)
that needs one token of its group - recall first -, the coverage and title-phrase bonus clauses, the same
boosts, times the stored rank_boost. Document frequencies are counted among the candidates (every entry
with a query token is one, up to CANDIDATES), the collection size and average field lengths come from the
entries in the user's language and audiences (cached for STATS_SECONDS). The user's filters (kind, facet,
tags, channels) are applied after the facet counts, like Elasticsearch's post_filter.
The rescoring stage (search.plan.RESCORE_*) then adds, for the best RESCORE_WINDOW, the sloppy phrase
score of the query's consecutive word pairs, as Elasticsearch's `rescore` does.
Measured (make relevance, held-out evaluation set of 777 queries): MRR@10 0.872 with the database's
bm25 and multipliers, 0.894 with this scoring (Elasticsearch 0.893), 0.895 with the rescoring stage
(Elasticsearch 0.898).
Known limits: the token columns hold a field's words, bigrams and stems together (Elasticsearch has one
field per stream), and only the best CANDIDATES matches are considered (enough for a help centre; the
engine of record is Elasticsearch).
"""

import math
import re
import time
from collections import Counter

from django.db import connection

from search import plan as weights
from search.backends.base import BaseSearchBackend, Facet, SearchHit, SearchResults, decorate, kind_facets
from search.models import SearchEntry
from search.plan import (
    COVERAGE_BOOST,
    COVERAGE_MSM,
    FIELDS,
    MSM,
    PHRASE_BOOST,
    STREAM_BOOST,
    dedupe,
    proximity_pairs,
    required,
)

CANDIDATES = 400
# Lucene's BM25 defaults (Elasticsearch's similarity) and best_fields' tie_breaker in build_query.
K1, B = 1.2, 0.75
TIE_BREAKER = 0.3
# Collection size and average field lengths: from up to STATS_SAMPLE entries, recomputed every STATS_SECONDS.
STATS_SAMPLE = 5000
STATS_SECONDS = 300
_stats = {}
TOKEN_RE = re.compile(r"^[^\W_]+$")
# bm25 column weights: title, body, notes (notes only count for agents)
COLUMN_WEIGHTS = {name.split("_")[0]: boost for name, boost in FIELDS["words"]}


def _tokens(plan):
    tokens = []
    for alt in plan.alternatives:
        tokens.extend(t for t in alt.analysed.all_tokens if TOKEN_RE.match(t))
    return dedupe(tokens)


def _candidates(plan, request):
    """[(entry, raw score)] from the database's full-text index, best first."""
    tokens = _tokens(plan)
    if not tokens:
        return []
    audiences = sorted(request.audiences)
    vendor = connection.vendor
    columns = ["title", "body", "notes"] if request.with_notes else ["title", "body"]
    if vendor == "sqlite":
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        scope = "{" + " ".join(f"{c}_tokens" for c in columns) + "}"
        weights = ", ".join(str(COLUMN_WEIGHTS[c]) for c in ("title", "body", "notes"))
        sql = (
            f"SELECT e.*, -bm25(portal_search_fts, {weights}) AS fts_rank "  # noqa: S608 - constants only
            "FROM portal_search_fts JOIN portal_search_searchentry e ON e.id = portal_search_fts.rowid "
            f"WHERE portal_search_fts MATCH %s AND e.audience IN ({', '.join(['%s'] * len(audiences))})"
        )
        params = [f"{scope}: ({match})", *audiences]
        if request.locale:
            sql += " AND e.locale = %s"
            params.append(request.locale)
        sql += " ORDER BY fts_rank DESC LIMIT %s"
        params.append(CANDIDATES)
    elif vendor == "postgresql":
        tsquery = " | ".join(f"'{t}'" for t in tokens)  # tokens are letters and digits only (TOKEN_RE)
        vector = (
            "setweight(to_tsvector('simple', e.title_tokens), 'A')"
            " || setweight(to_tsvector('simple', e.body_tokens), 'C')"
        )
        where = "to_tsvector('simple', e.title_tokens || ' ' || e.body_tokens) @@ q"
        if request.with_notes:
            vector += " || setweight(to_tsvector('simple', e.notes_tokens), 'D')"
            where = f"({where} OR to_tsvector('simple', e.notes_tokens) @@ q)"
        sql = (
            f"SELECT e.*, ts_rank('{{0.15, 0.3, 0.5, 1.0}}', {vector}, q) AS fts_rank "  # noqa: S608 - constants only
            "FROM portal_search_searchentry e, to_tsquery('simple', %s) q "
            f"WHERE {where} AND e.audience = ANY(%s)"
        )
        params = [tsquery, audiences]
        if request.locale:
            sql += " AND e.locale = %s"
            params.append(request.locale)
        sql += " ORDER BY fts_rank DESC LIMIT %s"
        params.append(CANDIDATES)
    else:
        return _candidates_like(tokens, request)
    return [(entry, float(entry.fts_rank or 0.0)) for entry in SearchEntry.objects.raw(sql, params)]


def _candidates_like(tokens, request):
    from django.db.models import Q

    condition = Q()
    for token in tokens[:30]:
        condition |= Q(title_tokens__contains=token) | Q(body_tokens__contains=token)
    entries = SearchEntry.objects.filter(condition, audience__in=request.audiences)
    if request.locale:
        entries = entries.filter(locale=request.locale)
    return [(entry, 1.0) for entry in entries[:CANDIDATES]]


def forget_stats():
    """Forget the cached collection statistics (tests, after a rebuild)."""
    _stats.clear()


def _collection_stats(request):
    """(number of entries, {field: average token count}) in the request's language and audiences."""
    key = (connection.alias, request.locale, tuple(sorted(request.audiences)))
    cached = _stats.get(key)
    if cached and time.monotonic() - cached[0] < STATS_SECONDS:
        return cached[1]
    entries = SearchEntry.objects.filter(audience__in=request.audiences)
    if request.locale:
        entries = entries.filter(locale=request.locale)
    sums, rows = Counter(), 0
    sample = entries.order_by("-pk").values_list("title_tokens", "body_tokens", "notes_tokens")[:STATS_SAMPLE]
    for row in sample:
        rows += 1
        for name, tokens in zip(("title", "body", "notes"), row, strict=True):
            sums[name] += tokens.count(" ") + 1 if tokens else 0
    total = entries.count() if rows >= STATS_SAMPLE else rows
    stats = (total, {name: max(1.0, sums[name] / rows) if rows else 1.0 for name in ("title", "body", "notes")})
    _stats[key] = (time.monotonic(), stats)
    return stats


class _Scorer:
    """Elasticsearch's score of build_query's clauses for the candidates of one search."""

    def __init__(self, candidates, plan, request):
        self.plan, self.request = plan, request
        self.names = ("title", "body", "notes") if request.with_notes else ("title", "body")
        self.boosts = {name.split("_")[0]: boost for name, boost in FIELDS["words"]}
        self.fields = {}
        df = {name: Counter() for name in self.names}
        for entry in candidates:
            fields = {}
            for name in self.names:
                tokens = getattr(entry, f"{name}_tokens").split()
                fields[name] = (Counter(tokens), len(tokens), tokens)
                df[name].update(fields[name][0].keys())
            self.fields[entry.pk] = fields
        total, self.avg = _collection_stats(request)
        total = max(total, len(candidates))
        self.idf = {
            name: {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in counts.items()}
            for name, counts in df.items()
        }
        self.clauses = _clauses(plan)

    def _field(self, name, field, tokens):
        """(BM25 of `tokens` in one field, how many of them it has)."""
        counts, length, _tokens = field
        norm = K1 * (1 - B + B * length / self.avg[name])
        total, hits = 0.0, 0
        for token in tokens:
            freq = counts.get(token)
            if freq:
                hits += 1
                total += self.idf[name][token] * freq / (freq + norm)
        return total, hits

    def _multi_match(self, fields, tokens, need, tie_breaker):
        scores = []
        for name in self.names:
            score, hits = self._field(name, fields[name], tokens)
            if hits >= need:
                scores.append(score * self.boosts[name])
        if not scores:
            return None
        best = max(scores)
        return best + tie_breaker * (sum(scores) - best)

    def score(self, entry):
        """Elasticsearch's score of `entry` (before rank_boost), or None when no clause matches."""
        fields = self.fields[entry.pk]
        total, matched = 0.0, False
        for tokens, need, tie_breaker, weight, boost, counts in self.clauses:
            if need is None:  # a title phrase
                if _has_run(fields["title"][2], tokens):
                    phrase = sum(self.idf["title"].get(t, 0.0) for t in tokens)
                    norm = K1 * (1 - B + B * fields["title"][1] / self.avg["title"])
                    total += phrase / (1 + norm) * weight * boost
                continue
            clause = self._multi_match(fields, tokens, need, tie_breaker)
            if clause is not None:
                matched = matched or counts
                total += clause * weight * boost
        return total if matched else None

    def rescore(self, entry, pairs):
        """The rescoring stage's score (search.plan.RESCORE_*): Elasticsearch's sloppy phrase score of each pair."""
        fields = self.fields[entry.pk]
        total = 0.0
        for name, boost in weights.RESCORE_FIELDS.items():
            if name not in fields:
                continue
            _counts, length, tokens = fields[name]
            positions = {}
            for i, token in enumerate(tokens):
                positions.setdefault(token, []).append(i)
            norm = K1 * (1 - B + B * length / self.avg[name])
            for _stream, first, second in pairs:
                after = positions.get(second)
                if not after or first not in positions:
                    continue
                # Lucene's sloppy frequency: 1 / (1 + distance) per match within the slop, in order.
                freq = sum(
                    1 / (1 + (j - i - 1))
                    for i in positions[first]
                    for j in after
                    if 0 < j - i <= weights.RESCORE_SLOP + 1
                )
                if freq:
                    idf = self.idf[name].get(first, 0.0) + self.idf[name].get(second, 0.0)
                    total += boost * idf * freq / (freq + norm)
        return total


def _clauses(plan):
    """build_query's clauses of a plan, in score()'s order, worked out once per search rather than per candidate:
    [(tokens, how many must match (None: a title phrase), tie_breaker, weight, boost, counts as a match)]."""
    clauses = []
    for alt in plan.alternatives:
        for stream in ("words", "bigrams", "stems"):
            if stream == "bigrams" and alt.source != "query" and alt.analysed.words:
                continue  # as build_query: dictionary words' bigrams only add partial matches
            tokens = dedupe(getattr(alt.analysed, stream))
            if not tokens:
                continue
            need = required(len(tokens), MSM[stream])
            clauses.append((tokens, need, TIE_BREAKER, alt.weight, STREAM_BOOST[stream], True))
            if alt.source == "query" and len(tokens) > 1:
                need = required(len(tokens), COVERAGE_MSM[stream])
                clauses.append((tokens, need, 0.0, COVERAGE_BOOST, STREAM_BOOST[stream], False))
        for stream in ("words", "stems"):
            tokens = list(getattr(alt.analysed, stream))
            if len(tokens) > 1:
                clauses.append((tokens, None, 0.0, alt.weight, PHRASE_BOOST, False))
    return clauses


def _has_run(haystack, needle):
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _scored(plan, request, keep=None):
    """[(score, entry)] of the plan's matching candidates (those `keep` allows), best first."""
    candidates = [entry for entry, _rank in _candidates(plan, request)]
    if not candidates:
        return []
    scorer = _Scorer(candidates, plan, request)
    scored = []
    for entry in candidates:
        if keep is not None and not keep(entry):
            continue
        score = scorer.score(entry)
        if score is not None:
            scored.append((score * (entry.rank_boost or 1.0), entry))
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    pairs = proximity_pairs(plan)
    if pairs and weights.RESCORE_WEIGHT > 0:  # the rescoring stage, as Elasticsearch's rescore does it
        window = max(weights.RESCORE_WINDOW, request.offset + request.size)
        top = [
            (score + weights.RESCORE_WEIGHT * scorer.rescore(entry, pairs), entry) for score, entry in scored[:window]
        ]
        top.sort(key=lambda pair: (-pair[0], pair[1].pk))
        scored[:window] = top
    return scored


class DatabaseBackend(BaseSearchBackend):
    name = "database"

    def search(self, plan):
        return search(plan.request, plan)

    def suggest(self, prefix, audiences, locale, size, only=None):
        return suggest(prefix, audiences, locale, size, only)

    def search_among(self, plan, pairs):
        """Hits of `plan` among the (kind, pk) `pairs` only, best first (at most a page's worth)."""
        request = plan.request
        scored = _scored(plan, request, lambda e: (e.kind, e.object_pk) in pairs and not _filtered_out(e, request))
        return [decorate(_hit(entry, score, request), plan, 0) for score, entry in scored[: request.size]]


def _filtered_out(entry, request):
    if request.kinds and entry.kind not in request.kinds:
        return True
    if request.facet and entry.facet != request.facet:
        return True
    if request.tags and not set(request.tags) & set(entry.tags):
        return True
    return bool(request.channels and not set(request.channels) & set(entry.channels))


def _hit(entry, score, request):
    return SearchHit(
        kind=entry.kind,
        pk=entry.object_pk,
        title=entry.title,
        url=entry.url,
        locale=entry.locale,
        audience=entry.audience,
        slug=entry.slug,
        summary=entry.summary,
        notes=entry.notes if request.with_notes else "",
        facet=entry.facet,
        facet_label=entry.facet_label,
        tags=list(entry.tags),
        channels=list(entry.channels),
        accepted=entry.accepted,
        score=score,
        body=f"{entry.summary} {entry.body}",
    )


def search(request, plan):
    started = time.perf_counter()
    scored = _scored(plan, request)

    def keep(entry, skip=""):
        if skip != "kind" and request.kinds and entry.kind not in request.kinds:
            return False
        if skip != "facet" and request.facet and entry.facet != request.facet:
            return False
        if skip != "tags" and request.tags and not set(request.tags) & set(entry.tags):
            return False
        return not (skip != "channels" and request.channels and not set(request.channels) & set(entry.channels))

    kinds, facets, labels, tags, channels = Counter(), Counter(), {}, Counter(), Counter()
    count_tags, count_channels = "tags" in request.facet_counts, "channels" in request.facet_counts
    for _score_value, entry in scored:
        if keep(entry, "kind"):
            kinds[entry.kind] += 1
        if keep(entry, "facet") and entry.facet:
            facets[entry.facet] += 1
            labels.setdefault(entry.facet, (entry.facet_label, entry.kind))
        if count_tags and keep(entry, "tags"):
            tags.update(entry.tags)
        if count_channels and keep(entry, "channels"):
            channels.update(entry.channels)
    selected = [(s, e) for s, e in scored if keep(e)]
    page = selected[request.offset : request.offset + request.size]
    results = SearchResults(
        query=request.query,
        total=len(selected),
        backend="database",
        did_you_mean=plan.did_you_mean,
        page=request.page,
        size=request.size,
        kinds=kind_facets(kinds),
        facets=[Facet(k, labels[k][0] or k, n, labels[k][1]) for k, n in facets.most_common(30)],
        tags=[Facet(k, k, n) for k, n in tags.most_common(30)],
        channels=[Facet(k, k, n) for k, n in channels.most_common(10)],
    )
    for position, (score, entry) in enumerate(page, start=request.offset + 1):
        hit = _hit(entry, score, request)
        results.hits.append(decorate(hit, plan, position))
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def suggest(prefix, audiences, locale, size, only=None):
    entries = SearchEntry.objects.filter(audience__in=audiences, suggest_text__contains=prefix)
    if locale:
        entries = entries.filter(locale=locale)
    if only is not None:
        from django.db.models import Q

        condition = Q(pk__in=[])
        for kind, pk in only:
            condition |= Q(kind=kind, object_pk=pk)
        entries = entries.filter(condition)
    rows = entries.order_by("-rank_boost", "title").values("title", "url", "kind", "suggest_text")[: size * 3]
    # Titles that start with what was typed first, then those that contain it.
    ranked = sorted(rows, key=lambda r: (not any(p.startswith(prefix) for p in r["suggest_text"].split(" | ")),))
    return [{"title": r["title"], "url": r["url"], "kind": r["kind"]} for r in ranked[:size]]
