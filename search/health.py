"""Which search engine answers right now: Elasticsearch (with its version and cluster health) or the database."""

import logging
from dataclasses import asdict, dataclass

from elasticsearch import ApiError, TransportError

from search import client as es

logger = logging.getLogger(__name__)


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
        logger.warning("Elasticsearch unreachable: %s", type(exc).__name__)
        return EngineStatus(engine="database", available=True, configured=True, error=type(exc).__name__)
    return EngineStatus(
        engine="elasticsearch",
        available=True,
        configured=True,
        version=min((node["version"] for node in nodes.values()), default=""),
        cluster_name=health["cluster_name"],
        cluster_status=health["status"],
    )
