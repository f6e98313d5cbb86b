"""kb.actions.create_draft_article: the one way another channel (forum, message board, videos) hands an answer
to the knowledge base: an unpublished article, one revision by the user, owned by whoever looks after the topic."""

import pytest

from kb import actions, queries
from kb.models import ArticlePage, CategoryPage

pytestmark = pytest.mark.django_db


def test_a_draft_is_unpublished_cleaned_and_owned_by_the_topic_owner(kb_index, make_staff):
    editor = make_staff("Editors", display_name="卡类编辑")
    moderator = make_staff("Moderators")
    category = queries.category_for_language(kb_index.locale, "bank-cards")
    newest = ArticlePage.objects.child_of(category).live().order_by("-last_published_at").first()
    newest.article_owner = editor
    newest.save_revision().publish()

    article = actions.create_draft_article(
        category=category,
        title="  挂失后多久能补卡？ ",
        answer_html='<p>一般<strong>七个工作日</strong>。</p><script>alert(1)</script><p onclick="x()">到网点领取</p>',
        short_answer="一般七个工作日。",
        user=moderator,
        source_note="来自留言板",
    )

    article = ArticlePage.objects.get(pk=article.pk)
    assert (article.title, article.live, article.get_parent().pk) == ("挂失后多久能补卡？", False, category.pk)
    assert article.article_owner == editor
    assert article.short_answer == "一般七个工作日。"
    assert article.search_description == "来自留言板"
    html = str(article.answer[0].value)
    assert "<strong>七个工作日</strong>" in html
    assert "<script>" not in html
    assert "onclick" not in html
    assert article.revisions.count() == 1
    assert article.latest_revision.user == moderator


def test_a_taken_slug_gets_a_number(kb_index, make_staff):
    user = make_staff("Editors")
    category = queries.category_for_language(kb_index.locale)

    first = actions.create_draft_article(
        category=category, title="问", answer_html="<p>答</p>", short_answer="答", user=user, slug="same-question"
    )
    second = actions.create_draft_article(
        category=category, title="问", answer_html="<p>答</p>", short_answer="答", user=user, slug="same-question"
    )

    assert (first.slug, second.slug) == ("same-question", "same-question-2")


def test_category_for_language_falls_back_to_the_first_category(kb_index):
    first = CategoryPage.objects.filter(locale=kb_index.locale).order_by("path").first()

    assert queries.category_for_language(kb_index.locale, "no-such-category") == first
    assert queries.category_for_language(kb_index.locale_id, "bank-cards").slug == "bank-cards"
