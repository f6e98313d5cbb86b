"""`python -m search.relevance`: recall@1/5/10, MRR@10 and zero-result share on both backends and plain BM25.

Uses the dev database (`make demo` fills it) and the Elasticsearch at ELASTICSEARCH_URL, under a
throw-away index prefix that is deleted afterwards. Prints the tuning set and the held-out evaluation set
(`--set tuning` / `--set evaluation` for one; `-v` lists the misses).
"""

import os
import sys
import uuid


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    from kb.models import ArticlePage
    from search import analysis, indexing, registry
    from search import client as es
    from search.models import SearchEntry
    from search.queries import SearchRequest, search
    from search.relevance import harness

    verbose = "-v" in argv
    names = [argv[argv.index("--set") + 1]] if "--set" in argv else list(harness.SETS)
    sets = {name: harness.load(name) for name in names}
    known = set(ArticlePage.objects.live().values_list("slug", "locale__language_code"))
    for judged in sets.values():
        harness.validate(judged, known)

    def run(j):
        request = SearchRequest(j.q, harness.AUDIENCES[j.role], locale=j.locale, kinds=("kb",), size=10)
        return [hit.slug for hit in search(request).hits]

    articles = ArticlePage.objects.live().count()
    counts = ", ".join(f"{len(judged)} {name}" for name, judged in sets.items())
    print(f"judged queries: {counts}; over {articles} articles (KB entries; plain BM25 in Python, Lucene's formula)")
    indexing.rebuild("kb", elasticsearch=False)  # the fallback's entries, fresh
    scores = {name: [] for name in sets}
    bm25 = harness.PlainBM25(SearchEntry.objects.filter(kind="kb"))

    def run_bm25(j):
        tokens = analysis.analyse(analysis.normalise(j.q), normalised=True).all_tokens
        audiences = harness.AUDIENCES[j.role]
        return bm25.rank(tokens, j.locale, audiences, with_notes="agents" in audiences)

    url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = ""
    for name, judged in sets.items():
        scores[name].append(harness.score("plain BM25 (same tokens)", judged, run_bm25))
        scores[name].append(harness.score("database", judged, run))
    if url:
        settings.ELASTICSEARCH_URL = url
        settings.PORTAL_SEARCH_INDEX_PREFIX = f"relevance-{uuid.uuid4().hex[:8]}"
        try:
            for kind in registry.kinds():
                indexing.rebuild(kind, database=False)
            for name, judged in sets.items():
                scores[name].append(harness.score("elasticsearch", judged, run))
        finally:
            es.get_client().options(ignore_status=404).indices.delete(
                index=f"{settings.PORTAL_SEARCH_INDEX_PREFIX}-*", expand_wildcards="all"
            )
    else:
        print("ELASTICSEARCH_URL is not set: Elasticsearch not measured.")
    for name, results in scores.items():
        print(f"\n{name} set ({len(sets[name])} queries)")
        print(harness.HEADER)
        for result in results:
            print(result.row())
    if verbose:
        for name, results in scores.items():
            for result in results:
                print(f"\n-- {name} / {result.backend}: queries without a relevant article in the top {harness.K}")
                for j, top, rank in result.misses:
                    print(f"  [{j.locale} {j.role}] {j.q!r} -> rank {rank or '-'}; top: {', '.join(top) or '(none)'}")
    return 0


sys.exit(main(sys.argv[1:]))
