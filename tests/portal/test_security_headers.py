"""Headers and cookies a browser sees: Permissions-Policy, the language cookie, and what /healthz tells strangers."""

import pytest

pytestmark = pytest.mark.django_db

POLICY = (
    "accelerometer=(), autoplay=(self), camera=(), display-capture=(), fullscreen=(self), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)


def test_every_page_sends_the_permissions_policy(client, homes):
    for path in ("/", "/en/", "/healthz", "/no-such-page/"):
        assert client.get(path)["Permissions-Policy"] == POLICY


def test_the_language_cookie_is_samesite_lax_and_secure_where_production_says_so(client, homes, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as portal/settings/production.py sets it

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})

    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def test_healthz_tells_strangers_only_which_engine_answers(client):
    data = client.get("/healthz").json()

    assert set(data["search"]) == {"engine", "available"}
    assert "version" not in str(data) and "cluster" not in str(data)


def test_healthz_details_for_a_monitor_with_the_token_and_for_staff(client, settings, make_staff):
    settings.PORTAL_HEALTHZ_TOKEN = "monitor-token-" + "z" * 30

    wrong = client.get("/healthz", headers={"Authorization": "Bearer not-the-token"}).json()
    monitor = client.get("/healthz", headers={"Authorization": "Bearer " + settings.PORTAL_HEALTHZ_TOKEN}).json()
    client.force_login(make_staff("Agents"))
    staff = client.get("/healthz").json()

    assert set(wrong["search"]) == {"engine", "available"}
    for data in (monitor, staff):
        assert {"version", "cluster_name", "cluster_status", "error"} <= set(data["search"])


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_only_wagtails_admin_may_run_inline_script_and_djangos_admin_may_not(client, homes):
    wagtail = _directives(client.get("/admin/"))
    django = _directives(client.get("/django-admin/"))
    public = _directives(client.get("/"))

    assert wagtail["script-src"] == ["'self'", "'unsafe-inline'"]
    assert django["script-src"] == public["script-src"] == ["'self'"]
    assert django["style-src"] == wagtail["style-src"] == ["'self'", "'unsafe-inline'"]
