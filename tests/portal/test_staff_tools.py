"""Staff find their tools: the header menu links each tool their roles allow; nobody loops or sees a bare 403."""

import re

import pytest

from portal.core import roles

pytestmark = pytest.mark.django_db

CONSOLE = ("坐席控制台", "/console/")
QUEUES = ("审核队列", "/forum/moderation/sla/")
ADMIN = ("管理后台", "/admin/")
REPORTS = ("报表", "/admin/search-report/")
DASHBOARD = ("运营看板", "/admin/operations/")
DESK = ("留言坐席", "/admin/messages/")


def header_tools(body):
    block = re.search(r'<ul class="staff-tools"[^>]*>(.*?)</ul>', body, re.S)
    if block is None:
        return []
    return [(name.strip(), href) for href, name in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', block[1])]


@pytest.mark.parametrize(
    ("role", "tools"),
    [
        (roles.AGENTS, [CONSOLE]),
        (roles.MODERATORS, [CONSOLE, QUEUES, ADMIN]),
        (roles.EDITORS, [CONSOLE, ADMIN]),
        (roles.OPERATIONS, [CONSOLE, ADMIN, DASHBOARD, REPORTS]),
        (roles.MESSAGE_DESK, [CONSOLE, DESK, ADMIN]),
    ],
)
def test_header_menu_links_each_tool_the_role_allows(client, homes, make_staff, role, tools):
    client.force_login(make_staff(role))

    body = client.get("/").content.decode()

    assert header_tools(body) == tools
    # After sign-in staff land on the home page, which lists the same tools with a word on each.
    assert 'class="staff-panel"' in body
    for _name, href in tools:
        assert body.count(f'href="{href}"') >= 2


def test_customers_and_visitors_get_no_staff_tools(client, homes, customer):
    assert header_tools(client.get("/").content.decode()) == []
    client.force_login(customer)
    body = client.get("/").content.decode()
    assert header_tools(body) == []
    assert 'class="staff-panel"' not in body


def test_english_header_names_the_tools_in_english(client, homes, make_staff):
    client.force_login(make_staff(roles.OPERATIONS))

    body = client.get("/en/").content.decode()

    assert header_tools(body) == [
        ("Agent console", "/en/console/"),
        ("Admin", "/admin/"),
        ("Operations dashboard", "/admin/operations/"),
        ("Reports", "/admin/search-report/"),
    ]


@pytest.mark.parametrize("who", ["agent", "customer"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_admin_without_the_role_is_a_403_page_not_a_redirect_loop(client, homes, make_staff, customer, who, path):
    client.force_login(make_staff(roles.AGENTS) if who == "agent" else customer)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 403
    body = response.content.decode()
    assert "您无权打开此页面" in body
    assert "您的账户没有打开此页面所需的角色。如果工作需要，请联系您的主管为您添加角色。" in body


def test_visitors_are_still_sent_to_sign_in_for_the_admin(client, homes):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("path", "heading", "text"),
    [
        ("/forum/moderation/sla/", "您无权打开此页面", "您的账户没有打开此页面所需的角色。"),
        ("/en/forum/moderation/sla/", "You cannot open this page", "Your account does not have the role this page"),
    ],
)
def test_operations_at_the_moderation_queue_get_a_403_page_in_the_pages_language(
    client, homes, make_staff, path, heading, text
):
    client.force_login(make_staff(roles.OPERATIONS))

    response = client.get(path)

    assert response.status_code == 403
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert text in body
    assert 'class="staff-tools"' in body  # the tools they do have are one tap away
