"""The relevance harness: judged queries over the demo knowledge base, scored on both backends.

`make relevance` (or `python -m search.relevance`) loads the demo, indexes it into a throw-away
Elasticsearch prefix and into the database fallback, runs every judged query as its role would (a
customer sees public articles, an agent also internal ones) and prints recall@1/5/10, MRR@10 and the
share of queries with no result per backend, beside a plain BM25 (harness.PlainBM25: Lucene's formula in
Python over the same analysed tokens, no synonyms, boosts or minimum_should_match); -v lists the misses.
The judgements name articles by slug (stable in kb/demo_data/articles.jsonl) and were written as customers
and agents phrase things: short keywords, colloquial and long chatty questions, typos, synonyms,
traditional characters, 帐/账 variants and agents' shorthand (the `note` of each line says which).

Two sets, kept apart: `tuning.jsonl` is the only one weights may be chosen on (the search.plan and
database constants), `evaluation.jsonl` is the held-out set the figures are reported on. Both are printed;
`--set tuning` or `--set evaluation` prints one.
"""
