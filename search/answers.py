"""Public answers for other apps' pages that must not import search (the message board's no-JS preview).

Registered by dotted path (`PORTAL_INTAKE_ANSWER_FINDER = "search.answers.public_answers"`): the caller asks
as a customer, so only public KB articles and answered (accepted) public forum threads come back, the same
rule the message board's page applies to the JSON API's results.
"""

from django.contrib.auth.models import AnonymousUser

from search import analysis, queries
from search.policies import SearchPolicy


def public_answers(query, *, locale=None, size=5):
    """[{"kind", "title", "url", "short_answer"}] at most `size`, as a customer (never agent-only content)."""
    text, _truncated = analysis.clean_query(query or "")
    if not text:
        return []
    results = queries.search(
        queries.SearchRequest(
            text,
            SearchPolicy.audiences(AnonymousUser()),
            locale=locale,
            kinds=("kb", "forum"),
            size=size * 2,
            with_facets=False,
        )
    )
    answers = []
    for hit in results.hits:
        if hit.kind == "forum" and not hit.accepted:
            continue
        answers.append({"kind": hit.kind, "title": hit.title, "url": hit.url, "short_answer": hit.summary})
    return answers[:size]
