"""`python -m search.relevance`: recall@1/5/10, MRR@10 and zero-result share on both backends and plain BM25.

Uses the dev database (`make demo` fills it) and the Elasticsearch at ELASTICSEARCH_URL, under a
throw-away index prefix that is deleted afterwards.
"""

import os
import sys
import uuid


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    from search import analysis, indexing, registry
    from search import client as es
    from search.models import SearchEntry
    from search.queries import SearchRequest, search
    from search.relevance import harness

    verbose = "-v" in argv
    judged = harness.load()
    from kb.models import ArticlePage

    harness.validate(judged, set(ArticlePage.objects.live().values_list("slug", "locale__language_code")))

    def run(j):
        request = SearchRequest(j.q, harness.AUDIENCES[j.role], locale=j.locale, kinds=("kb",), size=10)
        return [hit.slug for hit in search(request).hits]

    articles = ArticlePage.objects.live().count()
    print(f"{len(judged)} judged queries over {articles} articles (KB entries; plain BM25 in Python, Lucene's formula)")
    indexing.rebuild("kb", elasticsearch=False)  # the fallback's entries, fresh
    scores = []
    bm25 = harness.PlainBM25(SearchEntry.objects.filter(kind="kb"))

    def run_bm25(j):
        tokens = analysis.analyse(analysis.normalise(j.q), normalised=True).all_tokens
        audiences = harness.AUDIENCES[j.role]
        return bm25.rank(tokens, j.locale, audiences, with_notes="agents" in audiences)

    scores.append(harness.score("plain BM25 (same tokens)", judged, run_bm25))
    url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = ""
    scores.append(harness.score("database", judged, run))
    if url:
        settings.ELASTICSEARCH_URL = url
        settings.PORTAL_SEARCH_INDEX_PREFIX = f"relevance-{uuid.uuid4().hex[:8]}"
        try:
            for kind in registry.kinds():
                indexing.rebuild(kind, database=False)
            scores.append(harness.score("elasticsearch", judged, run))
        finally:
            es.get_client().options(ignore_status=404).indices.delete(
                index=f"{settings.PORTAL_SEARCH_INDEX_PREFIX}-*", expand_wildcards="all"
            )
    else:
        print("ELASTICSEARCH_URL is not set: Elasticsearch not measured.")
    print(harness.HEADER)
    for result in scores:
        print(result.row())
    if verbose:
        for result in scores:
            print(f"\n-- {result.backend}: queries without a relevant article in the top {harness.K}")
            for j, top, rank in result.misses:
                print(f"  [{j.locale} {j.role}] {j.q!r} -> rank {rank or '-'}; top: {', '.join(top) or '(none)'}")
    return 0


sys.exit(main(sys.argv[1:]))
