"""A language link names the language in that language, wherever it is: the site header and the console."""

import re

import pytest

from portal.core import roles

pytestmark = pytest.mark.django_db


def test_console_language_link_reads_english_on_the_chinese_console(client, homes, make_staff):
    client.force_login(make_staff(roles.AGENTS))

    zh = client.get("/console/").content.decode()
    en = client.get("/en/console/").content.decode()

    assert re.search(r'<a href="/en/console/" lang="en" hreflang="en">English</a>', zh)
    assert "英语" not in zh
    assert re.search(r'<a href="/console/" lang="zh-Hans" hreflang="zh-Hans">简体中文</a>', en)
    assert "Simplified Chinese" not in en
