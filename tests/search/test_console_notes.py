"""Agent notes with a list read as a list in the console, not as raw "- " lines."""

import pytest

from portal.core import roles

pytestmark = pytest.mark.django_db


def test_console_shows_the_list_in_agent_notes_as_a_list(no_elasticsearch, article, committed, client, make_staff):
    committed(
        article,
        "星河卡挂失后多久能补卡？",
        short_answer="挂失后七个工作日内可以补卡。",
        notes="先核实身份。</p><ul><li>查询挂失记录</li><li>确认邮寄地址</li></ul><p>",
    )
    client.force_login(make_staff(roles.AGENTS))

    body = client.get("/console/", {"q": "星河卡挂失补卡"}).content.decode()

    assert "<p>先核实身份。</p><ul><li>查询挂失记录</li><li>确认邮寄地址</li></ul>" in body
    assert "- 查询挂失记录" not in body
