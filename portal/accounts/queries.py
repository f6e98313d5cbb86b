"""Reads about accounts that several apps share: who is a VIP customer (the message board and the forum)."""

from portal.accounts.models import VipCustomer


def is_vip(user):
    """True for a signed-in VIP customer (one query; False for anonymous users and None)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return VipCustomer.objects.filter(user_id=user.pk).exists()


def is_vip_contact(user=None, email="", phone=""):
    """True for a VIP account, or a VIP's verified e-mail address or mobile number (no sign-in needed)."""
    if is_vip(user):
        return True
    if phone and VipCustomer.objects.filter(mobile=phone).exists():
        return True
    if email:
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
        return VipCustomer.objects.filter(user_id__in=verified).exists()
    return False


def vip_customers(limit=200):
    return list(VipCustomer.objects.select_related("user").order_by("-created_at")[:limit])
