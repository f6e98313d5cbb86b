"""Template context every page needs: bank name, hotline and the language links of the current page."""

from django.conf import settings


def portal(request):
    return {
        "PORTAL_BANK_NAME": settings.PORTAL_BANK_NAME,
        "PORTAL_HOTLINE": settings.PORTAL_HOTLINE,
    }
