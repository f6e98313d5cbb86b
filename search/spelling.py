""" "Did you mean": corrections of near misses, from the words of the documents a user may see.

English: a word that no visible title, tag or summary contains and that is one edit (insert, delete,
substitute, swap) away from one that does. Chinese, without pinyin: a run of 3 to 6 characters that is
not a known word but differs by one character from a known word of the same length ("手机银航" →
"手机银行"); two-character windows are too ambiguous to correct. Known words come from the database
fallback's entries (titles, tags, short answers), grouped by audience so a customer is never offered a
word that only an agent-only article contains, plus the banking dictionary. Both backends use this
same module, so they correct alike. The vocabulary is rebuilt at most every few minutes per process.
"""

import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

from search import analysis

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 300
MIN_LATIN_LENGTH = 4
CJK_WINDOWS = (6, 5, 4, 3)
_WORD_RE = re.compile(r"[a-z]{3,}")


@dataclass
class Vocabulary:
    latin: dict  # audience -> Counter(word)
    stems: dict  # audience -> set(stem)
    cjk: dict  # audience -> Counter(word of 3+ characters)
    cjk_keys: dict  # audience -> {pattern with one "*": set(word)}


_lock = threading.Lock()
_state = {"vocabulary": None, "built_at": 0.0, "building": False}


def _dictionary_words():
    words = set()
    for line in analysis.BANKING_DICTIONARY.read_text(encoding="utf-8").splitlines():
        word = line.split(" ")[0].strip()
        if word:
            words.add(analysis.normalise(word))
    return words | set(analysis._state["staff_words"])


def build():
    from search.models import SearchEntry

    latin, stems, cjk = {}, {}, {}
    rows = SearchEntry.objects.values_list("audience", "suggest_text", "title_tokens", "summary").iterator(
        chunk_size=5000
    )
    for audience, suggest_text, title_tokens, summary in rows:
        words = latin.setdefault(audience, Counter())
        text = f"{suggest_text} {analysis.normalise(summary[:500])}" if summary else suggest_text
        words.update(_WORD_RE.findall(text))
        chinese = cjk.setdefault(audience, Counter())
        chinese.update(t for t in title_tokens.split() if len(t) >= 3 and analysis.contains_cjk(t))
    public = cjk.setdefault("public", Counter())
    for word in _dictionary_words():
        if len(word) >= 3 and analysis.contains_cjk(word):
            public[word] += 1
        elif _WORD_RE.fullmatch(word):
            latin.setdefault("public", Counter())[word] += 1
    for audience, words in latin.items():
        stems[audience] = {analysis.stem(w) for w in words}
    cjk_keys = {}
    for audience, words in cjk.items():
        keys = cjk_keys.setdefault(audience, {})
        for word in words:
            for i in range(len(word)):
                keys.setdefault(word[:i] + "*" + word[i + 1 :], set()).add(word)
    return Vocabulary(latin, stems, cjk, cjk_keys)


def _build_now():
    with _lock:
        vocab = build()
        _state["vocabulary"], _state["built_at"] = vocab, time.monotonic()
    return vocab


def _build_in_background():
    from django.db import connection

    try:
        _build_now()
    except Exception:  # the next search asks again; no search ever fails for want of corrections
        logger.exception("search: could not build the spelling vocabulary")
    finally:
        _state["building"] = False
        connection.close()  # this thread's own connection


def in_background():
    """Build in a background thread (servers), or in the caller (tests: they read their own transaction)."""
    from django.conf import settings

    return getattr(settings, "PORTAL_SEARCH_WARM_IN_BACKGROUND", False)


def vocabulary(wait=None):
    """The vocabulary; None while the first one is being built in the background (no corrections meanwhile).

    Building reads every entry (seconds at 100,000 documents): a server never makes a search wait for it.
    The first search starts it in a background thread, and later ones use the last vocabulary while a fresh
    one is built every REFRESH_SECONDS.
    """
    wait = not in_background() if wait is None else wait
    vocab = _state["vocabulary"]
    stale = vocab is None or time.monotonic() - _state["built_at"] > REFRESH_SECONDS
    if not stale:
        return vocab
    if wait:
        return _build_now()
    with _lock:
        if not _state["building"]:
            _state["building"] = True
            threading.Thread(target=_build_in_background, name="search-spelling", daemon=True).start()
    return vocab


def forget():
    _state["vocabulary"] = None


def _edits1(word):
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + swaps + replaces + inserts)


def _correct_latin(word, vocab, audiences):
    if len(word) < MIN_LATIN_LENGTH or word in analysis.EN_STOP_WORDS:
        return None
    for audience in audiences:
        if word in vocab.latin.get(audience, ()) or analysis.stem(word) in vocab.stems.get(audience, ()):
            return None
    best, best_count = None, 0
    for candidate in _edits1(word):
        count = sum(vocab.latin.get(a, {}).get(candidate, 0) for a in audiences)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _known_cjk(text, vocab, audiences):
    return any(text in vocab.cjk.get(a, ()) for a in audiences)


def _lone_positions(run):
    """Positions of characters that jieba leaves standing alone: where a typo usually is."""
    positions, offset = set(), 0
    for token in analysis.segment(run):
        if len(token) == 1 and token not in analysis.ZH_STOP_WORDS:
            positions.add(offset)
        offset += len(token)
    return positions


def _correct_cjk_run(run, vocab, audiences):
    """Replace windows of `run` that are one character away from a known word. Returns the new run."""
    if len(run) < 3:
        return run
    chars = list(run)
    lone = _lone_positions(run)
    i = 0
    changed = False
    while i < len(chars):
        step = 1
        for size in CJK_WINDOWS:
            window = "".join(chars[i : i + size])
            if len(window) < size:
                continue
            if _known_cjk(window, vocab, audiences):
                step = size
                break
            candidates = Counter()
            for j in range(size):
                if i + j not in lone:
                    continue  # only a character jieba could not place is a likely typo
                key = window[:j] + "*" + window[j + 1 :]
                for audience in audiences:
                    for word in vocab.cjk_keys.get(audience, {}).get(key, ()):
                        candidates[word] += vocab.cjk[audience][word]
            if candidates:
                best = max(candidates.items(), key=lambda item: (item[1], item[0]))[0]
                chars[i : i + size] = list(best)
                step = size
                changed = True
                break
        i += step
    return "".join(chars) if changed else run


def correct(normalised_query, audiences):
    """The corrected query, or None when every word is known (or nothing close is)."""
    audiences = sorted(audiences)
    vocab = vocabulary()
    if vocab is None:
        return None
    changed = False

    def fix_latin(match):
        nonlocal changed
        fixed = _correct_latin(match.group(0), vocab, audiences)
        if fixed:
            changed = True
            return fixed
        return match.group(0)

    text = re.sub(r"[a-z]+", fix_latin, normalised_query)

    def fix_cjk(match):
        nonlocal changed
        fixed = _correct_cjk_run(match.group(0), vocab, audiences)
        if fixed != match.group(0):
            changed = True
        return fixed

    text = analysis.CJK_RUN_RE.sub(fix_cjk, text)
    return text if changed else None
