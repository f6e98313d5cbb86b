"""Behind the production proxy every customer is counted by their own address, not the proxy's."""

from forum.models import Post
from tests.factories import UserFactory

PROXY = "10.0.0.2"


def test_twenty_customers_behind_one_proxy_all_get_their_reply_in(client, thread, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_FORUM_RATE_LIMITS = [("ip", 10, 60)]
    statuses = []
    for number in range(20):
        client.force_login(UserFactory())
        response = client.post(
            thread.get_absolute_url(),
            {"body": f"第{number}位客户的回复"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )
        statuses.append(response.status_code)

    assert statuses == [302] * 20
    assert Post.objects.filter(thread=thread, is_opening=False).count() == 20


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, thread, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_FORUM_RATE_LIMITS = [("ip", 1, 60)]
    statuses = []
    for forged in ("1.1.1.1", "2.2.2.2"):
        client.force_login(UserFactory())
        # The client invents an address; the proxy appends the one it really saw, the same both times.
        response = client.post(
            thread.get_absolute_url(),
            {"body": f"伪造地址 {forged}"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.77",
        )
        statuses.append(response.status_code)

    assert statuses == [302, 429]
