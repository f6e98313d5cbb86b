"""Scoring of the judged query set (see search/relevance/__init__.py), and the plain BM25 it is compared with."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Weights are tuned on the tuning set only; the evaluation set is what the figures are reported on.
SETS = {"tuning": HERE / "tuning.jsonl", "evaluation": HERE / "evaluation.jsonl"}
K = 5
CUTOFFS = (1, 5, 10)
AUDIENCES = {"customer": frozenset({"public"}), "agent": frozenset({"public", "agents", "staff"})}


@dataclass
class Judged:
    q: str
    locale: str
    role: str
    relevant: list
    note: str = ""


@dataclass
class Score:
    backend: str
    queries: int = 0
    recall_sums: dict = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0.0))
    rr_sum: float = 0.0
    zero: int = 0
    misses: list = field(default_factory=list)

    def recall_at(self, k):
        return self.recall_sums[k] / self.queries if self.queries else 0.0

    @property
    def recall(self):
        return self.recall_at(K)

    @property
    def mrr(self):
        """MRR@10: the reciprocal rank of the first relevant article within the top 10, else 0."""
        return self.rr_sum / self.queries if self.queries else 0.0

    @property
    def zero_share(self):
        return self.zero / self.queries if self.queries else 0.0

    def row(self):
        recalls = "  ".join(f"{self.recall_at(k):.3f}" for k in CUTOFFS)
        return f"{self.backend:<24} {recalls}  {self.mrr:.3f}  {self.zero_share:.3f}"


HEADER = f"{'method':<24} {'r@1':>5}  {'r@5':>5}  {'r@10':>5}  {'MRR10':>5}  {'zero':>5}"


def load(name="evaluation"):
    path = SETS[name]
    return [Judged(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def validate(judged, known):
    """Every judged slug must exist in its language (a typo in a judgement would silently score 0)."""
    problems = [
        f"{j.q!r}: no {j.locale} article {slug!r}"
        for j in judged
        for slug in j.relevant
        if (slug, j.locale) not in known
    ]
    if problems:
        raise SystemExit("relevance judgements refer to missing articles:\n" + "\n".join(problems))


def score(backend, judged, run):
    """`run(judged) -> [slug, ...]` in rank order; returns a Score."""
    result = Score(backend)
    for j in judged:
        ranked = run(j)[: max(CUTOFFS)]
        relevant = set(j.relevant)
        result.queries += 1
        for k in CUTOFFS:
            result.recall_sums[k] += len({slug for slug in ranked[:k] if slug in relevant}) / len(relevant)
        rank = next((i for i, slug in enumerate(ranked, start=1) if slug in relevant), None)
        result.rr_sum += 1 / rank if rank else 0.0
        result.zero += not ranked
        if not rank or rank > K:
            result.misses.append((j, ranked[:3], rank))
    return result


class PlainBM25:
    """Okapi BM25 as Lucene computes it (k1 1.2, b 0.75, idf ln(1 + (N - n + 0.5) / (n + 0.5))) in Python.

    Documents are the same search entries the portal indexes, as one bag of the portal's own analysed tokens
    (words, bigrams and stems of title, body and - for agents - notes); the query is the query's own analysed
    tokens with no synonyms, corrections, boosts, phrase clauses or minimum_should_match. One collection per
    (locale, audiences), like the portal's filters.
    """

    def __init__(self, entries, k1=1.2, b=0.75):
        self.k1, self.b = k1, b
        self.collections = {}
        self.entries = list(entries)

    def _collection(self, locale, audiences, with_notes):
        key = (locale, audiences, with_notes)
        if key not in self.collections:
            docs = []
            for entry in self.entries:
                if entry.locale == locale and entry.audience in audiences:
                    text = f"{entry.title_tokens} {entry.body_tokens}"
                    if with_notes:
                        text += f" {entry.notes_tokens}"
                    docs.append((entry.slug, Counter(text.split())))
            lengths = [sum(tf.values()) for _slug, tf in docs]
            df = Counter(token for _slug, tf in docs for token in tf)
            avg = sum(lengths) / len(lengths) if lengths else 1.0
            self.collections[key] = (docs, lengths, df, avg)
        return self.collections[key]

    def rank(self, tokens, locale, audiences, with_notes, size=10):
        docs, lengths, df, avg = self._collection(locale, audiences, with_notes)
        n = len(docs)
        query = Counter(tokens)
        scored = []
        for (slug, tf), length in zip(docs, lengths, strict=True):
            total = 0.0
            for token, times in query.items():
                freq = tf.get(token)
                if freq:
                    idf = math.log(1 + (n - df[token] + 0.5) / (df[token] + 0.5))
                    norm = freq + self.k1 * (1 - self.b + self.b * length / avg)
                    total += times * idf * freq * (self.k1 + 1) / norm
            if total > 0:
                scored.append((-total, slug))
        scored.sort()
        return [slug for _score, slug in scored[:size]]
