"""Text analysis for search, done in Python and shared by Elasticsearch and the database fallback.

The Elasticsearch here has no cjk, stemmer or synonym filters, so every text (documents and queries
alike) goes through `analyse()`: normalise (control characters out, NFKC, lower case, traditional to
simplified Chinese), segment with jieba (rjieba, the Rust jieba-rs, with jieba's own dictionary, the
shipped banking dictionary in search/data/banking_dict.txt and the words staff add in the admin), then
produce three token streams that are indexed as space-joined strings with the core `whitespace` analyzer:

- ``words``: jieba words that contain Chinese characters (stop words out),
- ``bigrams``: overlapping Chinese character bigrams inside each run of non-stop words (the cjk-bigram
  signal: it finds "银行" inside "网上银行" whatever the segmentation was),
- ``stems``: Latin-script words and numbers, Snowball-stemmed (English), stop words out.

Because both backends index and query the very same tokens, a query behaves the same way on both.
"""

import functools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
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


def read_word_list(path):
    """The words of a data file: one per line, blank lines and '#' comments left out."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return frozenset(words)


# Stop words are data (search/data/stopwords-*.txt), read once when this module is imported.
ZH_STOP_WORDS = read_word_list(DATA_DIR / "stopwords-zh.txt")
EN_STOP_WORDS = read_word_list(DATA_DIR / "stopwords-en.txt")


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


def to_simplified(text):
    # The OpenCC binding (C++) converts ~5 million characters a second: no need to look for traditional ones first.
    if not CJK_RE.search(text):
        return text
    return _converter().convert(text)


# --- Variant forms (staff-edited, search.models.VariantForm): 帐 -> 账, 登陆 -> 登录 ------------------------------

_variants = {"table": None, "pattern": None, "loaded": False}


def _load_variants():
    """{variant: standard} of the enabled variant forms, normalised (without folding, which they define)."""
    try:
        from search.models import VariantForm

        rows = list(VariantForm.objects.filter(enabled=True).values_list("variant", "standard"))
    except Exception:  # tables not migrated yet (e.g. while migrating): no variants
        rows = []
    pairs = {}
    for variant, standard in rows:
        variant, standard = _simple(variant).strip(), _simple(standard).strip()
        if variant and standard and variant != standard:
            pairs[variant] = standard
    return pairs


def _apply_variants(pairs):
    """Publish the folding for `pairs`: single characters by str.translate, longer variants by one regex."""
    singles = {ord(v): s for v, s in pairs.items() if len(v) == 1}
    longer = sorted((v for v in pairs if len(v) > 1), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(v) for v in longer)) if longer else None
    _variants.update(table=singles, pattern=pattern, pairs=pairs, loaded=True)


def fold_variants(text):
    """Variant forms to their standard forms (after lower case and simplified Chinese)."""
    if not _variants["loaded"]:
        with _lock:
            if not _variants["loaded"]:
                _apply_variants(_load_variants())
    pattern = _variants["pattern"]
    if pattern is not None:
        pairs = _variants["pairs"]
        text = pattern.sub(lambda match: pairs[match.group(0)], text)
    table = _variants["table"]
    return text.translate(table) if table else text


def _simple(text):
    return to_simplified(unicodedata.normalize("NFKC", strip_controls(text)).lower())


def normalise(text):
    """Control characters out, NFKC (full-width to half-width), lower case, traditional to simplified,
    variant forms to their standard forms."""
    return fold_variants(_simple(text))


def clean_query(raw):
    """A query as typed, made safe: controls stripped, whitespace collapsed, cut at MAX_QUERY_LENGTH.

    Returns (query, truncated). The query keeps the user's own spelling (for display and the log);
    only `analyse()` turns it into tokens, so nothing typed ever reaches a search engine as syntax.
    """
    text = " ".join(strip_controls(raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


# --- jieba (rjieba) with the banking dictionary -------------------------------------------------------------

_lock = threading.RLock()
_state = {"tokenizer": None, "staff_words": frozenset(), "version": None, "checked_at": 0.0}

# A banking dictionary line: word, then an optional frequency and an optional tag (jieba's load_userdict).
_USERDICT_LINE_RE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")


def tokenizer():
    """This process's jieba tokenizer: an `rjieba.Jieba` (jieba-rs) of its own, never the module-global one."""
    tok = _state["tokenizer"]
    if tok is None:
        with _lock:
            tok = _state["tokenizer"]
            if tok is None:
                _apply_staff_words(_load_staff_words())
                tok = _state["tokenizer"]
                _state["checked_at"] = time.monotonic()
                _state["version"] = _config_version()
    else:
        _maybe_reload()
        tok = _state["tokenizer"]
    return tok


def read_userdict(path):
    """(word, freq or None, tag or None) for each line of a jieba user dictionary, as load_userdict reads it."""
    entries = []
    for line in Path(path).read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line:
            continue
        word, freq, tag = _USERDICT_LINE_RE.match(line).groups()
        entries.append((normalise(word), int(freq) if freq else None, tag))
    return tuple(entries)


@functools.cache
def _banking_entries():
    return read_userdict(BANKING_DICTIONARY)


def _build_tokenizer(staff_words, entries=None):
    """A fresh jieba: its own default dictionary, then the banking dictionary (or `entries`), then staff words."""
    import rjieba

    tok = rjieba.Jieba()
    for word, freq, tag in _banking_entries() if entries is None else entries:
        # No frequency: rjieba's add_word then takes suggest_freq(word), as jieba's load_userdict does.
        tok.add_word(word, freq, tag)
    for word in sorted(staff_words):  # sorted: the frequencies never depend on a set's order
        # jieba keeps runs of Latin letters and Chinese apart only where a space separates them.
        if word and " " not in word:
            tok.add_word(word, max(tok.suggest_freq(word), 2000), None)
    return tok


def _load_staff_words():
    try:
        from search.models import DictionaryWord

        return frozenset(normalise(w) for w in DictionaryWord.objects.values_list("word", flat=True))
    except Exception:  # tables not migrated yet (e.g. while migrating): the shipped dictionary only
        return frozenset()


def _apply_staff_words(words):
    """Publish a tokenizer that knows exactly `words` (the staff's), if they changed.

    The tokenizer in use is never changed in place: rjieba has no del_word, and its add_word on an
    instance that another thread is cutting with (rjieba releases the GIL) raises "Already borrowed".
    So a change builds a fresh one (about 0.15 s; staff change words rarely) and swaps it in whole.
    """
    with _lock:
        if _state["tokenizer"] is None or words != _state["staff_words"]:
            _state["tokenizer"] = _build_tokenizer(words)
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
        pairs = _load_variants()
        if pairs != _variants.get("pairs"):
            _apply_variants(pairs)
            _banking_entries.cache_clear()  # its words are normalised, so folded
            if _state["tokenizer"] is not None:  # swapped whole, as for staff words
                _state["tokenizer"] = _build_tokenizer(_state["staff_words"])
        if _state["tokenizer"] is not None:
            _apply_staff_words(_load_staff_words())
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


def check_config_now():
    """Reload the staff configuration now if another process changed it (the drain does, before analysing)."""
    _state["checked_at"] = 0.0
    _maybe_reload()


def invalidate():
    """Forget what this process knows of the staff configuration: the next use reloads it (tests, tools)."""
    _variants["loaded"] = False
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
    return _stemmer().stemWord(word)


# One Snowball stemmer per thread: a stemmer keeps the word it works on in itself, so two threads stemming at
# once (a search and the background "did you mean" build) broke each other's words (IndexError).
_stemmers = threading.local()


def _stemmer():
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer


# What analyse() does with one token of the segmenter, by kind (see _classify).
_SPACE, _STOP, _CHINESE, _MIXED, _LATIN = range(5)
# Tokens repeat a great deal, so their classification is kept (short ones only; cleared when full).
_TOKEN_CACHE = {}
_TOKEN_CACHE_SIZE = 200_000
_TOKEN_CACHE_MAX_LENGTH = 40


def _classify(token):
    """(kind, ...) for one token: what analyse() appends for it. The answer depends on the token alone."""
    stripped = token.strip()
    if not stripped:
        info = (_SPACE,)  # whitespace joins a run of Chinese: "网上 银行" still gives "上银"
    elif CJK_RE.search(stripped):
        cjk = CJK_RUN_RE.findall(stripped)
        if stripped in ZH_STOP_WORDS:
            info = (_STOP,)
        elif len(cjk) == 1 and cjk[0] == stripped:
            info = (_CHINESE, stripped)
        else:  # a mixed word such as "u盾": its Chinese part joins no neighbour
            info = (_MIXED, stripped, tuple(cjk))
    else:
        latin = ALNUM_RE.findall(stripped)
        keep = [w for w in latin if w not in EN_STOP_WORDS and (len(w) > 1 or w.isdigit())]
        info = (_LATIN, tuple(stem(w) for w in keep))
    if len(token) <= _TOKEN_CACHE_MAX_LENGTH:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_SIZE:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[token] = info
    return info


def _bigrams(run, out):
    joined = "".join(run)
    if len(joined) == 1:
        out.append(joined)
    else:
        out.extend([joined[i : i + 2] for i in range(len(joined) - 1)])


def segment(normalised):
    """jieba's precise mode without HMM: the same string always splits the same way, in documents and queries.

    The tokens, joined, give back the text exactly (suggestion prefixes rely on it). The whole text goes to
    rjieba at once: splitting Latin-only blocks with a Python regular expression instead measured slower.
    """
    return tokenizer().cut(normalised, hmm=False)


def is_word(word):
    """True when the tokenizer's dictionary (jieba's own, the banking one, the staff's) holds `word`."""
    return tokenizer().has_word(word)


def analyse(text, normalised=False):
    """Analyse one text (a document field or a query) into words, bigrams and stems."""
    text = text if normalised else normalise(text)
    if not text.strip():
        return Analysed()
    words, bigrams, stems = [], [], []
    run = []  # consecutive Chinese words (whitespace between them allowed): one bigram run
    cache = _TOKEN_CACHE
    for token in segment(text):
        info = cache.get(token) or _classify(token)
        kind = info[0]
        if kind == _CHINESE:
            words.append(info[1])
            run.append(info[1])
        elif kind == _SPACE:
            continue
        else:
            if run:
                _bigrams(run, bigrams)
                run = []
            if kind == _LATIN:
                stems.extend(info[1])
            elif kind == _MIXED:
                words.append(info[1])
                for part in info[2]:
                    _bigrams((part,), bigrams)
    if run:
        _bigrams(run, bigrams)
    return Analysed(tuple(words), tuple(bigrams), tuple(stems))


def contains_cjk(text):
    return bool(CJK_RE.search(text or ""))
