"""Readable ASCII web addresses (slugs) made from page titles in any language.

Chinese goes through pypinyin (phrase-aware, so 重庆 is "chong-qing", not "zhong-qing"), one syllable per
hyphen-separated word; every other script through anyascii (already installed with Wagtail): "Überweisung"
becomes "uberweisung". The result is Django's ASCII slug, at most MAX_LENGTH characters, cut between words.
"""

import re

from django.utils.text import slugify

MAX_LENGTH = 80
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def has_han(text):
    return bool(_HAN.search(text or ""))


def slug_from_title(title, max_length=MAX_LENGTH):
    """The ASCII slug for a title ("" when the title holds no letter or digit at all)."""
    from anyascii import anyascii
    from pypinyin import lazy_pinyin

    words = []
    for part in lazy_pinyin(title or "", errors=lambda chars: [chars]):
        words.append(f" {part} " if has_han(part) else part)
    # lazy_pinyin gives one syllable per Chinese character and leaves other text as it was.
    spaced = " ".join(words) if has_han(title or "") else "".join(words)
    slug = slugify(anyascii(spaced))
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug.strip("-")


def available_slug(base, is_free):
    """`base`, or `base-2`, `base-3`... : the first candidate for which `is_free(candidate)` is true."""
    candidate, n = base, 1
    while not is_free(candidate):
        n += 1
        candidate = f"{base[: MAX_LENGTH - len(str(n)) - 1]}-{n}"
    return candidate
