"""Scoring of the judged query set (see search/relevance/__init__.py)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

QUERIES = Path(__file__).resolve().parent / "queries.jsonl"
K = 5
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
    recall_sum: float = 0.0
    rr_sum: float = 0.0
    misses: list = field(default_factory=list)

    @property
    def recall(self):
        return self.recall_sum / self.queries if self.queries else 0.0

    @property
    def mrr(self):
        return self.rr_sum / self.queries if self.queries else 0.0


def load(path=QUERIES):
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
        ranked = run(j)
        relevant = set(j.relevant)
        found = [slug for slug in ranked[:K] if slug in relevant]
        result.queries += 1
        result.recall_sum += len(set(found)) / len(relevant)
        rank = next((i for i, slug in enumerate(ranked, start=1) if slug in relevant), None)
        result.rr_sum += 1 / rank if rank else 0.0
        if not rank or rank > K:
            result.misses.append((j, ranked[:3], rank))
    return result
