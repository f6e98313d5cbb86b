"""The search report names roles in the reader's language, not as the log's raw values."""

import pytest

from portal.core import roles
from search.models import SearchQuery

pytestmark = pytest.mark.django_db


def test_search_report_names_each_role_in_chinese(client, homes, make_staff):
    for role in ("agent", "customer", "anonymous"):
        SearchQuery.objects.create(
            query="网银", normalised="网银", locale="zh-hans", source="page", role=role, backend="db", result_count=3
        )
    client.force_login(make_staff(roles.OPERATIONS))

    body = client.get("/admin/search-report/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for label in ("<td>坐席</td>", "<td>客户</td>", "<td>匿名访客</td>"):
        assert label in body
    assert "<td>agent</td>" not in body
