"""A first question that waits for approval says so once (a badge in the thread header and one sentence)."""

import pytest
from django.utils import timezone

from forum.models import BoardPage, Thread
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_first_question_says_awaiting_approval_once(client, demo_site, language):
    from django.utils import translation

    board = BoardPage.objects.get(slug="bank-cards", locale__language_code=language)
    customer = UserFactory(preferred_language=language)
    customer.date_joined = timezone.now() - timezone.timedelta(days=400)
    customer.save(update_fields=["date_joined"])
    client.force_login(customer)
    with translation.override(language):
        badge = translation.gettext("Awaiting approval")
        sentence = translation.gettext(
            "Your question is waiting for a moderator's approval. Only you can see it until then."
        )

    response = client.post(
        f"{board.url}new/",
        {"title": "ATM kept my card this morning", "body": "What should I do now? It is still inside."},
        follow=True,
    )
    thread = Thread.objects.get(title="ATM kept my card this morning")
    assert thread.state == Thread.State.PENDING
    body = response.content.decode().replace("&#x27;", "'")
    assert body.count(sentence) == 1
    assert body.count(badge) == 1

    again = client.get(thread.get_absolute_url()).content.decode().replace("&#x27;", "'")
    assert again.count(sentence) == 1
    assert again.count(badge) == 1
