"""The relevance harness: judged queries (queries.jsonl) over the demo knowledge base, scored on both backends.

`make relevance` (or `python -m search.relevance`) loads the demo, indexes it into a throw-away
Elasticsearch prefix and into the database fallback, runs every judged query as its role would (a
customer sees public articles, an agent also internal ones) and prints recall@1/5/10, MRR@10 and the
share of queries with no result per backend, beside a plain BM25 (harness.PlainBM25: Lucene's formula in
Python over the same analysed tokens, no synonyms, boosts or minimum_should_match); -v lists the misses.
The judgements name articles by slug (stable in kb/demo_data/articles.jsonl) and were written as customers
and agents phrase things, typos included. There is no separate tuning set yet: the two weights tuned
(plan.COVERAGE_BOOST, database COVERAGE_FACTOR) were chosen on these same queries.
"""
