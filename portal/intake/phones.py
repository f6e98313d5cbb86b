"""Mobile numbers with `phonenumbers`: parsed with China as the default region and kept in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "CN"


def normalise_mobile(raw):
    """'+86 138-1234-5678' or '13812345678' -> '+8613812345678'. ValidationError for anything else."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Please enter a valid mobile number."), code="phone") from None
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in kinds:
        raise ValidationError(_("Please enter a valid mobile number."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_any(raw):
    """Any valid phone number (a caller may ring from a landline) in E.164; ValidationError otherwise."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Please enter a valid phone number."), code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Please enter a valid phone number."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
