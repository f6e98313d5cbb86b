"""Text analysis in Python, shared by both backends: normalising, jieba (rjieba) with the banking and staff
dictionaries, Chinese bigrams, English stems, and the cleaning of what people type."""

import json
from pathlib import Path

import pytest

from search import analysis
from search.analysis import MAX_QUERY_LENGTH, analyse, clean_query, normalise
from tests import testdata


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

    # 怎么 ("how") is a question word and stays (issue 14); 我的, 了 and 和 go.
    assert result.words == ("u盾", "丢", "怎么", "办理", "结售汇", "快捷支付")


@pytest.mark.django_db
def test_bigrams_cover_each_run_of_chinese_between_stop_words():
    assert analyse("网上银行的开通").bigrams == ("网上", "上银", "银行", "开通")


@pytest.mark.django_db
def test_english_words_are_stemmed_and_stop_words_dropped():
    # "how" carries the question's meaning (issue 14) and stays; "do", "I" and "my" go.
    assert analyse("How do I reset my online-banking passwords?").stems == ("how", "reset", "onlin", "bank", "password")


@pytest.mark.django_db
def test_query_syntax_becomes_plain_tokens():
    result = analyse('title:"u盾" AND (foo* OR bar~2) \\ {"match_all":{}}')

    assert set(result.all_tokens) <= {"titl", "title", "u盾", "盾", "foo", "bar", "2", "match_al", "match", "all"}
    assert all(analysis.ALNUM_RE.fullmatch(token) for token in result.all_tokens)


@pytest.mark.django_db
def test_only_letters_digits_and_chinese_ever_become_tokens():
    strings = list(testdata.naughty_strings())
    for text in strings:
        for token in analysis.analyse(text).all_tokens:
            assert analysis.ALNUM_RE.fullmatch(token), (text, token)


def _texts(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


BANKING_WORDS = [word for word, _freq, _tag in analysis.read_userdict(analysis.BANKING_DICTIONARY)]


@pytest.mark.django_db
@pytest.mark.parametrize("word", BANKING_WORDS)
def test_every_banking_dictionary_word_stays_one_token_alone_and_in_a_question(word):
    assert analysis.segment(word) == [word]
    assert word in analysis.segment(f"请问{word}怎么办")


@pytest.mark.django_db
def test_banking_words_stay_whole_where_jiebas_own_dictionary_would_split_them():
    assert analysis.segment(normalise("信用卡挂失以后U盾还能用吗")) == [
        "信用卡",
        "挂失",
        "以后",
        "u盾",
        "还",
        "能",
        "用",
        "吗",
    ]
    assert analysis.segment("开通快捷支付和手机银行") == ["开通", "快捷支付", "和", "手机银行"]
    assert analysis.segment("网银盾和u-key") == ["网银盾", "和", "u-key"]


def test_a_dictionary_line_without_a_frequency_still_keeps_its_word_whole(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("\ufeff星河钱包\n月光宝盒 n\n\n银河卡 3000 n\n", encoding="utf-8")

    entries = analysis.read_userdict(path)
    tok = analysis._build_tokenizer(frozenset(), entries)

    assert entries == (("星河钱包", None, None), ("月光宝盒", None, "n"), ("银河卡", 3000, "n"))
    assert tok.cut("星河钱包和月光宝盒绑定银河卡", hmm=False) == ["星河钱包", "和", "月光宝盒", "绑定", "银河卡"]


@pytest.mark.django_db
def test_a_staff_word_added_in_the_admin_is_one_token_and_splits_again_once_deleted(
    client, no_elasticsearch, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from search.models import DictionaryWord

    client.force_login(get_user_model().objects.get(email="admin@example.test"))
    before = analysis.segment("星河钱包怎么开通")

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post("/admin/snippets/portal_search/dictionaryword/add/", {"word": "星河錢包", "note": ""})
    with_word = analysis.segment("星河钱包怎么开通")
    word = DictionaryWord.objects.get(word="星河錢包")
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(f"/admin/snippets/portal_search/dictionaryword/delete/{word.pk}/")
    after = analysis.segment("星河钱包怎么开通")

    assert (added.status_code, deleted.status_code) == (302, 302)
    assert "星河钱包" not in before
    assert with_word == ["星河钱包", "怎么", "开通"]
    assert after == before
    assert not DictionaryWord.objects.filter(word="星河錢包").exists()


@pytest.mark.django_db
def test_a_staff_change_never_alters_the_tokenizer_another_thread_is_cutting_with(
    django_capture_on_commit_callbacks,
):
    from search.models import DictionaryWord

    in_use = analysis.tokenizer()
    with django_capture_on_commit_callbacks(execute=True):
        DictionaryWord.objects.create(word="星河钱包")

    assert analysis.segment("星河钱包") == ["星河钱包"]
    assert in_use.cut("星河钱包", hmm=False) == ["星河", "钱包"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("網上銀行怎麼開通", "网上银行怎么开通"),
        ("信用卡掛失後U盾還能用嗎", "信用卡挂失后U盾还能用吗"),
        ("積存金贖回費", "积存金赎回费"),
        ("預留手機號碼變更", "预留手机号码变更"),
    ],
)
def test_traditional_and_simplified_chinese_give_the_same_tokens(traditional, simplified):
    assert analysis.segment(normalise(traditional)) == analysis.segment(normalise(simplified))
    assert analyse(traditional) == analyse(simplified)


@pytest.mark.django_db
def test_tokens_join_back_to_the_text_for_the_demo_articles_and_hostile_strings():
    rows = _texts("kb/demo_data/articles.jsonl")
    texts = [f"{row['title']} {row['short_answer']} {row['answer']} {row['agent_notes']}" for row in rows]
    texts += list(testdata.naughty_strings())
    texts += ["网上\r\n银行\t\u3000U盾  ", "𠀀𠀁㐀㐁 abc123def ６", ""]

    for text in texts:
        normalised = normalise(text)
        assert "".join(analysis.segment(normalised)) == normalised, text


def test_stemming_in_several_threads_at_once_stems_each_word_right():
    """A search and the background "did you mean" build stem at the same time (a shared stemmer broke words)."""
    import threading

    words = [f"transfer{i}ing" for i in range(20000)]  # new words each: past stem()'s cache
    results, errors = {}, []

    def run(chunk):
        try:
            results.update((word, analysis.stem(word)) for word in chunk)
        except Exception as exc:  # noqa: BLE001 - what a broken stemmer raises is the finding
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(words[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(results[word] == word[: -len("ing")] for word in words)
