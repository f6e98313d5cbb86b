"""Personal-data masking shared by every place where customers write in public (forum, message board).

Before a public text is saved, bank card numbers (13-19 digits that pass the Luhn check, written
together or in groups), mainland resident ID numbers (18 characters whose ISO 7064 MOD 11-2 check
digit is right) and mainland mobile numbers are masked. `mask_personal_data` returns the masked text
and what it masked, so the caller can tell the writer why their text changed (`MaskResult.message()`).
Only numbers that validate are masked: an order number or an amount that merely looks long stays.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CARD = "card"
ID_NUMBER = "id_number"
MOBILE = "mobile"

KIND_LABELS = {
    CARD: gettext_lazy("a bank card number"),
    ID_NUMBER: gettext_lazy("an ID card number"),
    MOBILE: gettext_lazy("a mobile number"),
}

# Digits that are not glued to other digits (or letters, for IDs): a run inside a longer number is no match.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ ]?(\d{8})[ ]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_CARD_RE = re.compile(
    r"(?<![\d+-])(?:"
    r"\d{13,19}"  # written together
    r"|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?"  # 4-4-4-4(-3)
    r"|\d{6}[ -]\d{7,13}"  # 6-13, as some 19-digit cards are printed
    r")(?![\d])"
)
_MOBILE_RE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![\d])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def luhn_valid(digits):
    """True for a digit string whose Luhn checksum is 0 (bank card numbers)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def id_number_valid(number):
    """True for an 18-character mainland resident ID number with the right check digit and a real birth month/day."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    month, day = int(number[10:12]), int(number[12:14])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(char) * weight for char, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


@dataclass
class MaskResult:
    """The masked text and how many numbers of each kind were hidden."""

    text: str
    found: dict = field(default_factory=dict)  # {kind: count}

    @property
    def changed(self):
        return bool(self.found)

    @property
    def kinds(self):
        return [kind for kind in (CARD, ID_NUMBER, MOBILE) if kind in self.found]

    def message(self):
        """A translated sentence telling the writer what was hidden and why (empty when nothing was)."""
        if not self.found:
            return ""
        labels = [str(KIND_LABELS[kind]) for kind in self.kinds]
        what = labels[0]
        for label in labels[1:-1]:
            what = _("%(first)s, %(second)s") % {"first": what, "second": label}
        if len(labels) > 1:
            what = _("%(first)s and %(second)s") % {"first": what, "second": labels[-1]}
        return str(
            format_lazy(
                _(
                    "To protect your privacy we hid {what} in your text. Never post card, ID or phone numbers in public."  # noqa: E501
                ),
                what=what,
            )
        )


def _mask_digits(text, keep_start, keep_end, mask_char):
    """Replace digits (and a final X) with mask_char except the first keep_start and last keep_end; keep separators."""
    positions = [i for i, char in enumerate(text) if char.isdigit() or char in "Xx"]
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join(mask_char if i in hidden else char for i, char in enumerate(text))


def mask_personal_data(text, mask_char="*"):
    """Mask card numbers, ID numbers and mobile numbers in `text`. Returns a MaskResult."""
    if not text:
        return MaskResult(text or "")
    found = {}

    def count(kind):
        found[kind] = found.get(kind, 0) + 1

    def id_sub(match):
        raw = match.group(0)
        if not id_number_valid(raw.replace(" ", "")):
            return raw
        count(ID_NUMBER)
        return _mask_digits(raw, 3, 2, mask_char)

    def card_sub(match):
        raw = match.group(0)
        digits = re.sub(r"[ -]", "", raw)
        if not (13 <= len(digits) <= 19 and luhn_valid(digits)):
            return raw
        count(CARD)
        return _mask_digits(raw, 0, 4, mask_char)

    def mobile_sub(match):
        count(MOBILE)
        prefix = match.group(0)[: match.start(1) - match.start(0)]
        return f"{prefix}{match.group(1)}{mask_char * 4}{match.group(3)}"

    text = _ID_RE.sub(id_sub, text)
    text = _CARD_RE.sub(card_sub, text)
    text = _MOBILE_RE.sub(mobile_sub, text)
    return MaskResult(text, found)
