"""URL map: language-neutral endpoints first, then everything a customer reads under a language prefix.

Chinese (the default) has no prefix; English lives under /en/.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import sitemaps, views
from portal.intake import views as intake_views
from search import api as search_api

urlpatterns = [
    # The Wagtail admin signs in through allauth (rate limits, MFA); its own login form is closed.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": sitemaps.SECTIONS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/search", search_api.search, name="api_search"),
    path("api/suggest", search_api.suggest, name="api_suggest"),
    path("intake/sms/inbound", intake_views.sms_inbound, name="intake_sms_inbound"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("accounts/profile/", include("portal.accounts.urls")),
    path("search/", include("search.urls")),
    path("console/", include("search.console_urls")),
    path("forum/", include("forum.urls")),
    path("kb/", include("kb.urls")),
    path("messages/", include("portal.intake.urls")),
    path("videos/live/", include("videos.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns() + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
