"""Recall first (issue 14): long questions, meaning-carrying words and variant characters still find the article.

Each test runs on the real Elasticsearch node and on the database fallback (the `engine` fixture).
"""

import pytest

from search.queries import SearchRequest, search

pytestmark = pytest.mark.django_db

PUBLIC = frozenset({"public"})


def titles(results):
    return [hit.title for hit in results.hits]


def test_a_long_chatty_question_finds_its_article(engine, article, committed):
    committed(article, "跨行转账多久到账？", short_answer="普通转账一般两小时内到账，遇节假日顺延。")
    committed(article, "信用卡年费怎么收？", short_answer="每年首刷后收取年费。")

    question = (
        "你好，我昨天下午在手机上给我妈妈转了一笔钱过去，是跨行的，"
        "到现在她那边还是说没收到，请问一般要多久才能到啊，急死了"
    )
    results = search(SearchRequest(question, PUBLIC, locale="zh-hans"))

    assert results.backend == engine
    assert titles(results)[:1] == ["跨行转账多久到账？"]


def test_a_long_chatty_english_question_finds_its_article(engine, category_en, committed):
    from tests.search.conftest import make_article

    committed(make_article, category_en, "Card not delivered yet", short_answer="Cards arrive within 7 days.")
    committed(make_article, category_en, "Annual fee of the credit card", short_answer="Charged once a year.")

    question = (
        "Hi there, I ordered a new debit card about two weeks ago through the app and honestly it still has not "
        "been delivered to my address, could someone please explain what is going on with it?"
    )
    results = search(SearchRequest(question, PUBLIC, locale="en"))

    assert titles(results)[:1] == ["Card not delivered yet"]


def test_why_has_it_not_arrived_is_not_emptied_by_stop_words(engine, article, committed):
    committed(article, "转账为什么没有到账？", short_answer="收款账户信息有误时款项会退回。")
    committed(article, "转账什么时候到账？", short_answer="一般两小时内。")

    results = search(SearchRequest("为什么没有到账", PUBLIC, locale="zh-hans"))

    assert results.backend == engine
    assert titles(results)[:1] == ["转账为什么没有到账？"]


def test_when_and_why_are_different_questions(engine, category_en, committed):
    from tests.search.conftest import make_article

    committed(make_article, category_en, "Why didn't my transfer complete?", short_answer="It was returned.")
    committed(make_article, category_en, "When will my transfer be completed?", short_answer="Within two hours.")

    results = search(SearchRequest("when will the transfer be completed", PUBLIC, locale="en"))

    assert titles(results)[:1] == ["When will my transfer be completed?"]


def test_variant_character_zhang_finds_the_standard_form(engine, article, committed):
    committed(article, "信用卡账单怎么查？", short_answer="在手机银行的信用卡页面查看账单。")

    results = search(SearchRequest("帐单", PUBLIC, locale="zh-hans"))

    assert titles(results) == ["信用卡账单怎么查？"]


def test_a_query_of_stop_words_only_says_no_engine_ran(engine, article, committed):
    committed(article, "信用卡账单怎么查？", short_answer="在手机银行的信用卡页面查看账单。")

    results = search(SearchRequest("的了吗呢", PUBLIC, locale="zh-hans"))

    assert results.total == 0
    assert results.backend == "none"
