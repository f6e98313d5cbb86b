"""Which search engine answers right now: Elasticsearch (with its version and cluster health) or the database.

Seeing the cluster answer again is also the moment to catch up: changes waiting in the outbox are drained at
once (search.indexing.outbox.resume) rather than when their backoff ends.
"""

from dataclasses import asdict, dataclass

from elasticsearch import ApiError, TransportError

from search import client as es


@dataclass(frozen=True)
class EngineStatus:
    engine: str  # "elasticsearch" or "database"
    available: bool
    configured: bool
    version: str = ""
    cluster_name: str = ""
    cluster_status: str = ""
    error: str = ""

    def as_dict(self):
        return asdict(self)


def _seen_again():
    """The cluster answers: if this process had given up on it, or changes wait in the outbox, drain them now
    instead of when their backoff ends."""
    from search import indexing

    if es.report_success() or indexing.backlog():
        indexing.resume()


def engine_status():
    """Ask Elasticsearch if it is configured; otherwise (or when it is down) the database answers."""
    if not es.is_configured():
        return EngineStatus(engine="database", available=True, configured=False)
    try:
        client = es.get_client()
        # `GET /` is a module some minimal distributions leave out; health and nodes info are core APIs.
        health = client.cluster.health()
        nodes = client.nodes.info(filter_path="nodes.*.version").get("nodes", {})
    except (ApiError, TransportError) as exc:
        es.report_failure(type(exc).__name__)  # logged once, as the state changes
        return EngineStatus(engine="database", available=True, configured=True, error=type(exc).__name__)
    _seen_again()
    return EngineStatus(
        engine="elasticsearch",
        available=True,
        configured=True,
        version=min((node["version"] for node in nodes.values()), default=""),
        cluster_name=health["cluster_name"],
        cluster_status=health["status"],
    )
