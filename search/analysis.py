"""Text analysis for search, done in Python and shared by Elasticsearch and the database fallback.

The Elasticsearch here has no cjk, stemmer or synonym filters, so every text (documents and queries
alike) goes through `analyse()`: normalise (control characters out, NFKC, lower case, traditional to
simplified Chinese), segment with jieba (the shipped banking dictionary in search/data/banking_dict.txt
plus the words staff add in the admin), then produce three token streams that are indexed as
space-joined strings with the core `whitespace` analyzer:

- ``words``: jieba words that contain Chinese characters (stop words out),
- ``bigrams``: overlapping Chinese character bigrams inside each run of non-stop words (the cjk-bigram
  signal: it finds "银行" inside "网上银行" whatever the segmentation was),
- ``stems``: Latin-script words and numbers, Snowball-stemmed (English), stop words out.

Because both backends index and query the very same tokens, a query behaves the same way on both.
"""

import functools
import logging
import re
import threading
import time
import unicodedata
import warnings
from dataclasses import dataclass
from math import log
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
BANKING_DICTIONARY = DATA_DIR / "banking_dict.txt"

# Queries are cut here (characters, after cleaning): long enough for a pasted sentence, short enough
# that a query never turns into hundreds of clauses.
MAX_QUERY_LENGTH = 200

# How often a process checks whether staff changed the dictionary or the synonyms (seconds).
CONFIG_CHECK_SECONDS = 5
CONFIG_VERSION_KEY = "portal_search:config_version"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_RE = re.compile(f"[{_CJK}]")
CJK_RUN_RE = re.compile(f"[{_CJK}]+")
# Latin (and other alphabetic scripts') words and numbers; "_" is punctuation here.
ALNUM_RE = re.compile(r"[^\W_]+")

ZH_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "嘛",
        "么",
        "哈",
        "嗯",
        "噢",
        "喔",
        "哇",
        "啦",
        "咯",
        "得",
        "地",
        "着",
        "过",
        "我",
        "我的",
        "我们",
        "你",
        "你的",
        "您",
        "您的",
        "你们",
        "他",
        "她",
        "它",
        "他们",
        "她们",
        "自己",
        "人家",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "或者",
        "也",
        "就",
        "都",
        "还",
        "又",
        "把",
        "被",
        "给",
        "让",
        "对",
        "向",
        "从",
        "到",
        "为",
        "以",
        "于",
        "而",
        "则",
        "但",
        "但是",
        "可是",
        "而且",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "这样",
        "那样",
        "这里",
        "那里",
        "这么",
        "那么",
        "怎么",
        "怎么办",
        "怎样",
        "怎么样",
        "如何",
        "什么",
        "为什么",
        "为啥",
        "啥",
        "咋",
        "咋办",
        "哪",
        "哪里",
        "哪儿",
        "哪些",
        "哪个",
        "多少",
        "几",
        "几个",
        "能",
        "能不能",
        "可以",
        "可不可以",
        "可否",
        "是否",
        "是不是",
        "会",
        "会不会",
        "要",
        "要不要",
        "需要",
        "想",
        "想要",
        "应该",
        "得",
        "该",
        "一下",
        "一个",
        "一些",
        "有",
        "有没有",
        "没有",
        "没",
        "不",
        "不是",
        "不了",
        "请问",
        "请",
        "谢谢",
        "麻烦",
        "一直",
        "已经",
        "还是",
        "如果",
        "因为",
        "所以",
        "时候",
        "的话",
        "之后",
        "以后",
        "之前",
        "以前",
        "然后",
        "现在",
        "上",
        "下",
        "中",
        "里",
        "个",
        "次",
        "些",
        "呀",
        "啊",
        "吧",
    ]
)
EN_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "have",
        "has",
        "had",
        "having",
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "us",
        "our",
        "ours",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "not",
        "no",
        "nor",
        "so",
        "than",
        "too",
        "very",
        "just",
        "also",
        "any",
        "some",
        "all",
        "each",
        "every",
        "about",
        "into",
        "over",
        "under",
        "again",
        "then",
        "once",
        "only",
        "own",
        "same",
        "such",
        "more",
        "most",
        "other",
        "both",
        "few",
        "s",
        "t",
        "d",
        "ll",
        "m",
        "re",
        "ve",
        "don",
        "doesn",
        "didn",
        "isn",
        "aren",
        "wasn",
        "weren",
        "hasn",
        "haven",
        "hadn",
        "won",
        "wouldn",
        "shouldn",
        "couldn",
        "cant",
        "please",
        "get",
        "got",
        "getting",
        "im",
        "ive",
        "let",
        "lets",
        "want",
        "wanted",
        "need",
        "needs",
    ]
)


@dataclass(frozen=True)
class Analysed:
    """The three token streams of one text."""

    words: tuple = ()
    bigrams: tuple = ()
    stems: tuple = ()

    def __bool__(self):
        return bool(self.words or self.bigrams or self.stems)

    @property
    def all_tokens(self):
        return (*self.words, *self.bigrams, *self.stems)

    def joined(self):
        return {"words": " ".join(self.words), "bigrams": " ".join(self.bigrams), "stems": " ".join(self.stems)}


# --- Normalising ------------------------------------------------------------------------------------------


# Control characters (Cc) become spaces: they may separate words. Format, private-use and surrogate
# characters (Cf, Co, Cs: zero-width joiners, bidi overrides...) vanish. Ranges from unicodedata (Python 3.11).
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ud800-\uf8ff\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000f0000-\U0010fffd]"
)


def strip_controls(text):
    return _INVISIBLE_RE.sub("", _CONTROL_RE.sub(" ", text or ""))


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def _traditional_chars():
    """Characters that differ between traditional and simplified Chinese (from opencc's own table)."""
    import opencc

    chars = set()
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _sep, targets = line.partition("\t")
        if source and targets.split(" ")[0] != source:
            chars.add(source)
    return frozenset(chars)


def to_simplified(text):
    # opencc in pure Python is slow: convert only texts that contain a traditional character at all.
    if _traditional_chars().isdisjoint(text):
        return text
    return _converter().convert(text)


def normalise(text):
    """Control characters out, NFKC (full-width to half-width), lower case, traditional to simplified."""
    text = unicodedata.normalize("NFKC", strip_controls(text)).lower()
    return to_simplified(text)


def clean_query(raw):
    """A query as typed, made safe: controls stripped, whitespace collapsed, cut at MAX_QUERY_LENGTH.

    Returns (query, truncated). The query keeps the user's own spelling (for display and the log);
    only `analyse()` turns it into tokens, so nothing typed ever reaches a search engine as syntax.
    """
    text = " ".join(strip_controls(raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


# --- jieba with the banking dictionary ---------------------------------------------------------------------

_lock = threading.RLock()
_state = {"tokenizer": None, "staff_words": frozenset(), "version": None, "checked_at": 0.0}


def tokenizer():
    """This process's jieba tokenizer (its own instance: other apps may use jieba's global one)."""
    tok = _state["tokenizer"]
    if tok is None:
        with _lock:
            tok = _state["tokenizer"]
            if tok is None:
                with warnings.catch_warnings():  # jieba 0.42 has invalid escapes in its regexes
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", SyntaxWarning)
                    import jieba

                jieba.setLogLevel(logging.WARNING)

                tok = jieba.Tokenizer()
                tok.initialize()
                tok.load_userdict(str(BANKING_DICTIONARY))
                _state["tokenizer"] = tok
                _apply_staff_words(tok, _load_staff_words())
                _state["checked_at"] = time.monotonic()
                _state["version"] = _config_version()
    else:
        _maybe_reload()
    return tok


def _load_staff_words():
    try:
        from search.models import DictionaryWord

        return frozenset(normalise(w) for w in DictionaryWord.objects.values_list("word", flat=True))
    except Exception:  # tables not migrated yet (e.g. while migrating): the shipped dictionary only
        return frozenset()


def _apply_staff_words(tok, words):
    old = _state["staff_words"]
    for word in old - words:
        tok.del_word(word)
    for word in words:
        # jieba keeps runs of Latin letters and Chinese apart only where a space separates them.
        if word and " " not in word:
            tok.add_word(word, freq=max(tok.suggest_freq(word), 2000))
    _state["staff_words"] = words


def _config_version():
    try:
        from django.core.cache import cache

        return cache.get(CONFIG_VERSION_KEY)
    except Exception:
        return None


def bump_config_version():
    """Called when staff change the dictionary or the synonyms: every process reloads within seconds."""
    from django.core.cache import cache

    cache.set(CONFIG_VERSION_KEY, time.time_ns(), None)
    reload_config()


def reload_config():
    """Reload staff words into this process's tokenizer now (and forget cached synonyms)."""
    with _lock:
        if _state["tokenizer"] is not None:
            _apply_staff_words(_state["tokenizer"], _load_staff_words())
        _state["version"] = _config_version()
        _state["checked_at"] = time.monotonic()
    from search import synonyms

    synonyms.forget()


def _maybe_reload():
    now = time.monotonic()
    if now - _state["checked_at"] < CONFIG_CHECK_SECONDS:
        return
    _state["checked_at"] = now
    version = _config_version()
    if version != _state["version"]:
        reload_config()


def invalidate():
    """Forget what this process knows of the staff configuration: the next use reloads it (tests, tools)."""
    _state["checked_at"] = 0.0
    _state["version"] = object()
    from search import synonyms

    synonyms.forget()


def config_changed_since(version):
    """True when staff changed the dictionary or synonyms since `version` (for other caches)."""
    _maybe_reload()
    return _state["version"] != version


def current_config_version():
    return _state["version"]


# --- Tokens ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=50_000)
def stem(word):
    import snowballstemmer

    return _stemmer(snowballstemmer).stemWord(word)


@functools.cache
def _stemmer(module):
    return module.stemmer("english")


def _latin_tokens(token):
    for word in ALNUM_RE.findall(token):
        if word in EN_STOP_WORDS or (len(word) == 1 and not word.isdigit()):
            continue
        yield stem(word)


# jieba's own block pattern: it segments each such block on its own, so only blocks with Chinese in them
# need jieba at all; Latin words and numbers come out of it whole anyway (its dictionary has no lower-case
# Latin words but our own), so they are split here by a regular expression: the same tokens, much faster.
_JIEBA_BLOCK_RE = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
_PLAIN_RE = re.compile(r"[a-z0-9]+|[A-Z]+|\s|.", re.S)


_ENG_CHAR_RE = re.compile("[a-zA-Z0-9]")
_logf = {"total": None, "logs": {}}


def _cut_block(tok, block):
    """jieba's `__cut_DAG_NO_HMM` for one block, computed in one pass instead of a DAG and a route.

    Same dictionary, same scores in the same order, same tie-break (the longer word): the same tokens
    as jieba's own code (tests/search/test_analysis.py checks it), in about half the time, which is what
    makes a rebuild fast enough. Logarithms of word frequencies are cached per dictionary state.
    """
    freq = tok.FREQ
    if _logf["total"] != tok.total:
        _logf["total"], _logf["logs"] = tok.total, {}
    logs = _logf["logs"]
    logtotal = log(tok.total)
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * n
    for k in range(n - 1, -1, -1):
        best, best_end = None, k
        i, frag = k, block[k]
        while i < n and frag in freq:
            if freq[frag]:
                value = logs.get(frag)
                if value is None:
                    value = logs[frag] = log(freq[frag])
                candidate = value - logtotal + score[i + 1]
                if best is None or candidate >= best:
                    best, best_end = candidate, i
            i += 1
            frag = block[k : i + 1]
        if best is None:  # no word starts here: the character alone, as jieba scores it (log 1)
            best, best_end = 0.0 - logtotal + score[k + 1], k
        score[k], end[k] = best, best_end
    tokens, buf, x = [], "", 0
    while x < n:
        y = end[x] + 1
        word = block[x:y]
        if y - x == 1 and _ENG_CHAR_RE.match(word):
            buf += word
        else:
            if buf:
                tokens.append(buf)
                buf = ""
            tokens.append(word)
        x = y
    if buf:
        tokens.append(buf)
    return tokens


def segment(normalised):
    """jieba's precise mode without HMM: the same string always splits the same way, in documents and queries.

    The tokens, joined, give back the text exactly (suggestion prefixes rely on it).
    """
    tok = tokenizer()
    tokens = []
    for block in _JIEBA_BLOCK_RE.split(normalised):
        if not block:
            continue
        if CJK_RE.search(block) or block in tok.FREQ:
            tokens.extend(_cut_block(tok, block))
        else:
            tokens.extend(_PLAIN_RE.findall(block))
    return tokens


def analyse(text, normalised=False):
    """Analyse one text (a document field or a query) into words, bigrams and stems."""
    text = text if normalised else normalise(text)
    if not text.strip():
        return Analysed()
    words, bigrams, stems = [], [], []
    run = []

    def close_run():
        if run:
            joined = "".join(run)
            if len(joined) == 1:
                bigrams.append(joined)
            else:
                bigrams.extend(joined[i : i + 2] for i in range(len(joined) - 1))
            run.clear()

    for token in segment(text):
        token = token.strip()
        if not token:
            continue
        if CJK_RE.search(token):
            if token in ZH_STOP_WORDS:
                close_run()
                continue
            words.append(token)
            cjk = CJK_RUN_RE.findall(token)
            if len(cjk) == 1 and cjk[0] == token:
                run.append(token)
            else:  # a mixed word such as "u盾": its Chinese part joins no neighbour
                close_run()
                for part in cjk:
                    run.append(part)
                    close_run()
        else:
            close_run()
            stems.extend(_latin_tokens(token))
    close_run()
    return Analysed(tuple(words), tuple(bigrams), tuple(stems))


def contains_cjk(text):
    return bool(CJK_RE.search(text or ""))
