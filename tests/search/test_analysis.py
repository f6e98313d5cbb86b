"""Text analysis in Python, shared by both backends: normalising, jieba with the banking dictionary,
Chinese bigrams, English stems, and the cleaning of what people type."""

import pytest

from search import analysis
from search.analysis import MAX_QUERY_LENGTH, analyse, clean_query, normalise


def test_normalising_folds_width_case_and_traditional_chinese():
    assert normalise("ＵＳＢ　Ｋｅｙ 網上銀行") == "usb key 网上银行"


def test_control_and_invisible_characters_are_stripped():
    assert normalise("网\u200b银\x00开\u202e通") == "网银 开通"


def test_queries_are_cut_at_the_documented_length_and_keep_the_users_spelling():
    query, truncated = clean_query("  U盾  " + "很" * 300)

    assert len(query) == MAX_QUERY_LENGTH and truncated is True
    assert query.startswith("U盾 ")
    assert clean_query("a\tb\nc") == ("a b c", False)


@pytest.mark.django_db
def test_banking_words_stay_whole_and_stop_words_go():
    result = analyse("我的U盾丢了，怎么办理结售汇和快捷支付？")

    assert result.words == ("u盾", "丢", "办理", "结售汇", "快捷支付")


@pytest.mark.django_db
def test_bigrams_cover_each_run_of_chinese_between_stop_words():
    assert analyse("网上银行怎么开通").bigrams == ("网上", "上银", "银行", "开通")


@pytest.mark.django_db
def test_english_words_are_stemmed_and_stop_words_dropped():
    assert analyse("How do I reset my online-banking passwords?").stems == ("reset", "onlin", "bank", "password")


@pytest.mark.django_db
def test_query_syntax_becomes_plain_tokens():
    result = analyse('title:"u盾" AND (foo* OR bar~2) \\ {"match_all":{}}')

    assert set(result.all_tokens) <= {"titl", "title", "u盾", "盾", "foo", "bar", "2", "match_al", "match", "all"}
    assert all(analysis.ALNUM_RE.fullmatch(token) for token in result.all_tokens)


@pytest.mark.django_db
def test_only_letters_digits_and_chinese_ever_become_tokens():
    import json
    from pathlib import Path

    strings = json.loads(Path("/work/shared/testdata/blns/blns.json").read_text(encoding="utf-8"))
    for text in strings:
        for token in analysis.analyse(text).all_tokens:
            assert analysis.ALNUM_RE.fullmatch(token), (text, token)


@pytest.mark.django_db
def test_fast_segmentation_gives_exactly_jiebas_own_tokens():
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in Path("kb/demo_data/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [f"{row['title']} {row['short_answer']} {row['answer']} {row['agent_notes']}" for row in rows]
    texts += json.loads(Path("/work/shared/testdata/blns/blns.json").read_text(encoding="utf-8"))
    tok = analysis.tokenizer()
    for text in texts:
        normalised = analysis.normalise(text)
        ours = analysis.segment(normalised)
        assert "".join(ours) == normalised
        assert [t for t in ours if t.strip()] == [t for t in tok.lcut(normalised, HMM=False) if t.strip()]
