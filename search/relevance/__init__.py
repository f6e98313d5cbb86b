"""The relevance harness: judged queries (queries.jsonl) over the demo knowledge base, scored on both backends.

`make relevance` (or `python -m search.relevance`) loads the demo, indexes it into a throw-away
Elasticsearch prefix and into the database fallback, runs every judged query as its role would (a
customer sees public articles, an agent also internal ones) and prints recall@5 and MRR per backend,
with the misses. The judgements name articles by slug (stable in kb/demo_data/articles.jsonl) and were
written as customers and agents phrase things, typos included; the data is never tuned to them.
"""
