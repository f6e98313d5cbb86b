"""Variant forms (帐 for 账, 登陆 for 登录) are searched as their standard form, on both backends, and
staff add their own in the admin; saving one re-indexes the documents that contain it."""

from search.models import SearchEntry, VariantForm
from search.queries import SearchRequest, search, suggest

PUBLIC = frozenset({"public"})


def titles(query):
    return [hit.title for hit in search(SearchRequest(query, PUBLIC, locale="zh-hans")).hits]


def test_the_common_variant_zhuanzhang_finds_and_suggests_the_transfer_article(engine, article, committed):
    committed(article, "跨行转账多久到账？", short_answer="跨行转账一般两小时内到账。")

    assert titles("转帐多久到") == ["跨行转账多久到账？"]
    assert [s["title"] for s in suggest("转帐", PUBLIC, locale="zh-hans")] == ["跨行转账多久到账？"]
    assert [s["title"] for s in suggest("跨行转帐", PUBLIC, locale="zh-hans")] == ["跨行转账多久到账？"]


def test_an_article_written_with_the_variant_is_found_by_the_standard_form(engine, article, committed):
    committed(article, "网银登陆不上怎么办？", short_answer="检查证书。")

    assert titles("网银登录不上") == ["网银登陆不上怎么办？"]


def test_a_variant_staff_add_reindexes_the_articles_that_contain_it(engine, article, committed):
    page = committed(article, "星河信用咭年费减免", short_answer="刷满六次免年费。")
    entry = SearchEntry.objects.get(kind="kb", object_pk=str(page.pk))
    assert "信用卡" not in entry.title_tokens.split()

    committed(VariantForm.objects.create, variant="咭", standard="卡", note="Hong Kong usage")

    entry.refresh_from_db()
    assert "信用卡" in entry.title_tokens.split()
    assert titles("信用卡年费减免") == ["星河信用咭年费减免"]
    assert [s["title"] for s in suggest("星河信用卡", PUBLIC, locale="zh-hans")] == ["星河信用咭年费减免"]


def test_a_variant_staff_disable_stops_applying(engine, article, committed):
    committed(article, "跨行转账手续费", short_answer="免费。")
    form = VariantForm.objects.get(variant="帐")

    def disable():
        form.enabled = False
        form.save()

    committed(disable)

    assert [s["title"] for s in suggest("转帐", PUBLIC, locale="zh-hans")] == []
    assert [s["title"] for s in suggest("转账", PUBLIC, locale="zh-hans")] == ["跨行转账手续费"]
