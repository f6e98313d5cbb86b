"""What staff lists, notifications and search show of a message: personal numbers masked by the core's masking."""

from portal.core.masking import mask_personal_data


def masked(text):
    """The text with card, ID and mobile numbers masked."""
    return mask_personal_data(text or "").text


def mask_phone(phone):
    """+8613812345678 -> +86138****5678 (the number stays recognisable to the desk, not readable)."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:-8]}****{phone[-4:]}"


def mask_email(email):
    if not email or "@" not in email:
        return email or ""
    local, _sep, domain = email.partition("@")
    return f"{local[:2]}***@{domain}"


def mask_contact(message):
    parts = [message.name, mask_email(message.email), mask_phone(message.phone)]
    return " · ".join(part for part in parts if part)
