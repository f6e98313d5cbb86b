"""Staff roles exist as groups with their permissions; staff must enrol in MFA, customers need not."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from portal.core import roles

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Moderators",
        "Editors",
        "KB reviewers",
        "Agents",
        "Operations",
    }


def test_agents_can_use_the_console_but_not_the_admin(make_staff):
    agent = make_staff(roles.AGENTS)

    assert agent.has_perm("accounts.use_agent_console")
    assert not agent.has_perm("wagtailadmin.access_admin")


def test_only_kb_reviewers_may_publish_pages():
    publishers = set(
        GroupPagePermission.objects.filter(permission__codename="publish_page").values_list("group__name", flat=True)
    )

    assert roles.KB_REVIEWERS in publishers
    assert roles.EDITORS not in publishers
    assert roles.MODERATORS not in publishers


def test_operations_see_the_dashboard_permission(make_staff):
    assert make_staff(roles.OPERATIONS).has_perm("accounts.view_operations")


def test_staff_without_mfa_are_sent_to_set_it_up(client, homes, make_staff):
    editor = make_staff(roles.EDITORS, mfa=False)
    client.force_login(editor)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_with_mfa_go_through(client, homes, make_staff):
    client.force_login(make_staff(roles.EDITORS))

    assert client.get("/").status_code == 200


def test_customers_are_not_asked_for_mfa(client, homes, customer):
    client.force_login(customer)

    assert client.get("/").status_code == 200


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_editors_and_kb_reviewers_maintain_search_synonyms_and_dictionary(make_staff):
    for role in (roles.EDITORS, roles.KB_REVIEWERS):
        member = make_staff(role)
        assert member.has_perm("portal_search.change_synonymgroup")
        assert member.has_perm("portal_search.add_dictionaryword")
    assert not make_staff(roles.AGENTS).has_perm("portal_search.change_synonymgroup")
