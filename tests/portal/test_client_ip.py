"""The one client address every rate limit uses: direct, behind our proxy, and with a forged header."""

import pytest
from django.test import RequestFactory

from portal.accounts.adapter import AccountAdapter
from portal.core.net import client_ip

factory = RequestFactory()


def request(remote="203.0.113.9", **headers):
    return factory.get(
        "/", REMOTE_ADDR=remote, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )


def test_direct_client_is_remote_addr_and_a_forwarded_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0

    assert client_ip(request()) == "203.0.113.9"
    assert client_ip(request(x_forwarded_for="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_each_customer_is_told_apart(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1

    first = request(remote="10.0.0.2", x_forwarded_for="198.51.100.1")
    second = request(remote="10.0.0.2", x_forwarded_for="198.51.100.2")

    assert (client_ip(first), client_ip(second)) == ("198.51.100.1", "198.51.100.2")


def test_a_forged_forwarded_for_cannot_choose_the_address(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; our proxy appended the address it really saw.
    forged = request(remote="10.0.0.2", x_forwarded_for="1.2.3.4, 198.51.100.7")

    assert client_ip(forged) == "198.51.100.7"


def test_two_proxies_count_from_the_right(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request(remote="10.0.0.3", x_forwarded_for="1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@pytest.mark.parametrize("header", ["not-an-ip", "", "198.51.100.1, <script>", "999.1.1.1"])
def test_malformed_forwarded_values_fall_back_to_the_peer(settings, header):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1

    assert client_ip(request(remote="10.0.0.2", x_forwarded_for=header)) == "10.0.0.2"


def test_fewer_hops_than_proxies_trusts_only_the_peer(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request(remote="10.0.0.2", x_forwarded_for="198.51.100.1")) == "10.0.0.2"


def test_a_header_set_by_the_proxy_wins_when_configured(settings):
    settings.PORTAL_CLIENT_IP_HEADER = "X-Real-IP"

    assert client_ip(request(remote="10.0.0.2", x_real_ip="198.51.100.4", x_forwarded_for="1.2.3.4")) == "198.51.100.4"
    assert client_ip(request(remote="10.0.0.2", x_real_ip="junk")) == "10.0.0.2"


def test_allauth_rate_limits_count_the_same_client(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1

    assert AccountAdapter().get_client_ip(request(remote="10.0.0.2", x_forwarded_for="198.51.100.5")) == "198.51.100.5"
