"""Which kinds are searchable: the document classes of search.documents register themselves here.

A kind whose model is not installed (an area that has not shipped yet) is simply left out of
`kinds()`, so search, rebuild and check only ever see kinds that exist.
"""

_registry = {}


def register(doc_class):
    _registry[doc_class.kind_name] = doc_class
    return doc_class


def _load():
    import search.documents  # noqa: F401 - registers the kinds


def all_kinds():
    _load()
    return dict(_registry)


def kinds():
    """{name: document class} of the kinds whose model exists."""
    return {name: cls for name, cls in all_kinds().items() if cls.is_available()}


def get(name):
    return kinds().get(name)


def kind_names():
    return list(kinds())
