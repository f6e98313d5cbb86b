"""Search analytics: what was searched (masked, role only), clicks and uses on calls, and the staff report."""

import pytest
from django.utils import timezone

from portal.core import roles
from search import actions
from search.models import SearchEvent, SearchQuery
from search.queries import SearchResults

pytestmark = pytest.mark.django_db


def log(query, user=None, total=1):
    from django.contrib.auth.models import AnonymousUser

    return actions.log_search(
        user=user or AnonymousUser(),
        results=SearchResults(query=query, total=total, backend="database"),
        source="page",
        locale="zh-hans",
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("卡号6222020200112233445挂失", "卡号***************3445挂失"),
        ("我的手机13812345678收不到验证码", "我的手机138****5678收不到验证码"),
        ("身份证110101199003074514怎么改", "身份证110*************14怎么改"),
        ("账号 6217 0000 1111 2222 333 转账", "账号 **** **** **** ***2 333 转账"),
        ("u盾没反应", "u盾没反应"),
    ],
)
def test_query_log_masks_card_id_phone_and_account_numbers(typed, stored):
    assert log(typed).query == stored


def test_query_log_keeps_the_role_never_the_user(customer, make_staff):
    log("网银", customer)
    log("网银", make_staff(roles.AGENTS))
    log("网银")

    assert sorted(SearchQuery.objects.values_list("role", flat=True)) == ["agent", "anonymous", "customer"]
    assert "user" not in {f.name for f in SearchQuery._meta.get_fields()}


def test_report_shows_top_zero_result_queries_and_click_through_per_period(client, make_staff):
    first = log("网银开通", total=3)
    log("网银开通", total=3)
    log("火星开户", total=0)
    actions.record_event(action=SearchEvent.Action.CLICK, kind="kb", object_pk="1", query=first)
    old = log("很久以前")
    SearchQuery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=100))
    client.force_login(make_staff(roles.OPERATIONS))

    daily = client.get("/admin/search-report/", HTTP_ACCEPT_LANGUAGE="en")
    monthly = client.get("/admin/search-report/?period=month")
    body = daily.content.decode()

    assert daily.status_code == 200
    assert "网银开通" in body and "火星开户" in body and "很久以前" not in body
    assert daily.context["report"].totals["searches"] == 3
    assert daily.context["report"].totals["click_rate"] == 33.3
    assert daily.context["report"].zero == [{"normalised": "火星开户", "searches": 1}]
    assert monthly.context["report"].totals["searches"] == 4


def test_report_is_for_operations_and_superusers_only(client, make_staff):
    client.force_login(make_staff(roles.AGENTS))

    assert client.get("/admin/search-report/").status_code in {302, 403}


def test_staff_edit_synonyms_in_the_admin_and_search_uses_them_at_once(
    client, make_staff, no_elasticsearch, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from search.models import SynonymGroup
    from search.queries import plan_query

    admin = get_user_model().objects.get(email="admin@example.test")
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/snippets/portal_search/synonymgroup/add/", {"terms": "U盾, 小钥匙", "note": "", "enabled": "on"}
        )

    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms="U盾, 小钥匙").exists()
    plan = plan_query("小钥匙坏了", frozenset({"public"}))
    assert "u盾" in [alt.text for alt in plan.alternatives]


def test_staff_dictionary_words_keep_new_terms_whole(client, no_elasticsearch, django_capture_on_commit_callbacks):
    from search import analysis
    from search.models import DictionaryWord

    before = analysis.analyse("星河钱包怎么开通").words
    with django_capture_on_commit_callbacks(execute=True):
        DictionaryWord.objects.create(word="星河钱包")
    after = analysis.analyse("星河钱包怎么开通").words

    assert "星河钱包" not in before and "星河钱包" in after
