"""Synonyms edited by staff (SynonymGroup), applied at query time so a change needs no rebuild.

A group is a set of terms that mean the same thing (U盾 = USB Key = 网银盾). When a query contains one
term of a group (Chinese terms as a substring of the normalised query, Latin terms as a run of stemmed
words), the other terms are searched too, as extra alternatives with a lower weight. Both backends get
the same alternatives from here, so they behave alike.
"""

import re
import threading

from search import analysis

_SPLIT_RE = re.compile(r"[\n,，、;；=]+")
_lock = threading.Lock()
_cache = {"version": object(), "groups": None}


def split_terms(text):
    terms, seen = [], set()
    for part in _SPLIT_RE.split(text or ""):
        term = " ".join(part.split())
        if term and term.lower() not in seen:
            seen.add(term.lower())
            terms.append(term)
    return terms


def forget():
    with _lock:
        _cache["groups"] = None


def groups():
    """The enabled groups as tuples of (normalised term, stems) pairs, cached per configuration version."""
    version = analysis.current_config_version()
    cached = _cache["groups"]
    if cached is not None and not analysis.config_changed_since(version):
        return cached
    from search.models import SynonymGroup

    result = []
    try:
        rows = list(SynonymGroup.objects.filter(enabled=True).values_list("terms", flat=True))
    except Exception:  # table missing while migrating
        rows = []
    for terms in rows:
        group = []
        for term in split_terms(terms):
            normalised = analysis.normalise(term)
            group.append((normalised, analysis.analyse(normalised, normalised=True).stems))
        if len(group) > 1:
            result.append(tuple(group))
    with _lock:
        _cache["groups"] = tuple(result)
    return _cache["groups"]


def _contains_run(haystack, needle):
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _matches(term, term_stems, normalised_query, query_stems):
    if analysis.contains_cjk(term):
        return term in normalised_query
    return _contains_run(query_stems, term_stems)


def alternatives(normalised_query, query_stems):
    """Terms to search besides the query itself, from every group that the query mentions."""
    extra = []
    for group in groups():
        if any(_matches(term, stems, normalised_query, query_stems) for term, stems in group):
            for term, stems in group:
                if not _matches(term, stems, normalised_query, query_stems) and term not in extra:
                    extra.append(term)
    return extra
