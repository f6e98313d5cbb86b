"""Index lifecycle: versioned indices (`<prefix>-<kind>-v<timestamp>`) behind an alias (`<prefix>-<kind>`).

Writes go to every index of the kind (the aliased one and one a rebuild is filling); searches go to the
aliases. The first time any kind gets an index, every kind does, because searches span all aliases.
"""

from django.conf import settings
from django.utils import timezone

from search import client as es
from search import registry

# A copy of every index on every node (the indices of a help centre are small): each node answers a search
# from its own copies (the backend asks with preference=_local), so a node that hangs delays only the
# requests sent to it, which the client retries on another node.
REPLICAS = "0-all"


def alias_name(kind):
    return f"{settings.PORTAL_SEARCH_INDEX_PREFIX}-{kind}"


def new_index_name(kind):
    return f"{alias_name(kind)}-v{timezone.now().strftime('%Y%m%d%H%M%S%f')}"


def first_index_name(kind):
    # Two processes that find no index at the same time create this same one: no duplicate aliases.
    return f"{alias_name(kind)}-v00000000000000000000"


def index_body(doc_class, building=False):
    mapping = doc_class._doc_type.mapping.to_dict()
    index_settings = {"number_of_shards": 1, "refresh_interval": "-1" if building else "1s"}
    if building:
        index_settings["number_of_replicas"] = 0
    else:
        index_settings["auto_expand_replicas"] = REPLICAS
    return {"settings": {"index": index_settings}, "mappings": mapping}


def aliased_indices(kind, client=None):
    client = client or es.get_write_client()
    response = client.options(ignore_status=404).indices.get_alias(name=alias_name(kind))
    return sorted(k for k in response.body if k != "error" and k != "status") if response.meta.status == 200 else []


def kind_indices(kind, client=None):
    """Every versioned index of the kind (the aliased one, plus one a rebuild may be filling)."""
    client = client or es.get_write_client()
    response = client.options(ignore_status=404).indices.get(
        index=f"{alias_name(kind)}-v*", expand_wildcards="open", filter_path="*.settings.index.provided_name"
    )
    return sorted(response.body) if response.meta.status == 200 else []


def _create_first(kind, client):
    name = first_index_name(kind)
    client.options(ignore_status=400).indices.create(index=name, **index_body(registry.all_kinds()[kind]))
    client.indices.put_alias(index=name, name=alias_name(kind))
    return name


def ensure_index(kind, client=None):
    """Make sure the alias exists (creating the first index if needed); return the indices to write to.

    The first time any kind gets an index, every kind does: searches span all aliases, and an empty
    index answers where a missing one would send every search to the database.
    """
    client = client or es.get_write_client()
    targets = kind_indices(kind, client)
    if aliased_indices(kind, client):
        return targets
    name = _create_first(kind, client)
    for other in registry.kinds():
        if other != kind and not aliased_indices(other, client):
            _create_first(other, client)
    return sorted({*targets, name})


def ensure_all(client=None):
    client = client or es.get_write_client()
    for kind in registry.kinds():
        if not aliased_indices(kind, client):
            _create_first(kind, client)
