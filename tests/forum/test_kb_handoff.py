"""A moderator turns an answered thread into an unpublished KB article draft; the thread links to it."""

import pytest

from forum import actions, kb_handoff
from forum.actions import ActionRefused
from forum.models import AuditEntry, BoardPage, Thread
from kb.models import ArticlePage
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(demo_site, moderator):
    board = BoardPage.objects.get(slug="bank-cards", locale__language_code="zh-hans")
    thread = actions.create_thread(
        moderator, board, title="借记卡密码忘了怎么办？", body="忘记密码了", check_limits=False
    ).thread
    answer = reply(moderator, thread, "请携带身份证到**任一网点**重置密码。")
    actions.accept_answer(moderator, answer, notify=False)
    thread.refresh_from_db()
    return thread


def test_draft_article_holds_the_question_and_the_accepted_answer(answered, moderator):
    article = actions.create_kb_draft(moderator, answered)

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.title == "借记卡密码忘了怎么办？"
    assert not article.live
    assert article.get_parent().slug == "bank-cards"
    assert article.locale.language_code == "zh-hans"
    assert article.short_answer == "请携带身份证到任一网点重置密码。"
    assert "<strong>任一网点</strong>" in str(article.answer[0].value)
    assert article.latest_revision.user == moderator
    assert Thread.objects.get(pk=answered.pk).kb_article_id == article.pk
    assert AuditEntry.objects.filter(action="kb_draft", thread=answered).exists()


def test_the_draft_goes_to_the_person_who_owns_that_topic(answered, moderator, make_staff):
    editor = make_staff("Editors", display_name="知识库编辑小周")
    category = kb_handoff.category_for(answered.board)
    newest = ArticlePage.objects.child_of(category).live().order_by("-last_published_at").first()
    newest.article_owner = editor
    newest.save_revision().publish()

    article = actions.create_kb_draft(moderator, answered)

    assert ArticlePage.objects.get(pk=article.pk).article_owner == editor


def test_a_second_draft_is_refused(answered, moderator):
    actions.create_kb_draft(moderator, answered)
    answered.refresh_from_db()

    with pytest.raises(ActionRefused) as refused:
        actions.create_kb_draft(moderator, answered)

    assert refused.value.message == "This thread already has a draft article."


def test_unanswered_threads_and_customers_are_refused(thread, moderator, veteran):
    with pytest.raises(ActionRefused):
        actions.create_kb_draft(moderator, thread)
    with pytest.raises(ActionRefused):
        actions.create_kb_draft(veteran, thread)


def test_the_draft_is_not_visible_to_customers(client, answered, moderator):
    article = actions.create_kb_draft(moderator, answered)

    response = client.get(f"/faq/bank-cards/{article.slug}/")

    assert response.status_code == 404


def test_the_thread_page_offers_the_hand_off_to_moderators(client, answered, moderator):
    client.force_login(moderator)

    response = client.post(f"/forum/threads/{answered.pk}/kb-draft/")

    article = ArticlePage.objects.get(slug=f"forum-thread-{answered.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{article.pk}/edit/"
