"""The health check says which search engine answers: the real Elasticsearch node, or the database."""

import pytest

from search.health import engine_status

pytestmark = pytest.mark.django_db


@pytest.mark.elasticsearch
def test_real_elasticsearch_node_answers(elasticsearch):
    status = engine_status()

    assert status.engine == "elasticsearch"
    assert status.version.startswith("8.")
    assert status.cluster_status in {"green", "yellow"}


def test_database_answers_when_elasticsearch_is_not_configured(no_elasticsearch):
    status = engine_status()

    assert status.engine == "database"
    assert status.configured is False


def test_database_answers_when_elasticsearch_is_unreachable(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.PORTAL_SEARCH_TIMEOUT = 0.5

    status = engine_status()

    assert status.engine == "database"
    assert status.configured is True
    assert status.error == "ConnectionError"


@pytest.mark.elasticsearch
def test_healthz_reports_both_parts(client, elasticsearch):
    data = client.get("/healthz").json()

    assert data["search"]["engine"] == "elasticsearch"
    assert data["database"] in {"sqlite", "postgresql"}
