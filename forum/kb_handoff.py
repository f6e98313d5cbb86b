"""Knowledge-base hand-off: an unpublished kb.ArticlePage draft made from an answered thread.

The forum depends on kb, never the reverse: the thread stores the article (Thread.kb_article), and the
draft's promote-tab description names the thread it came from. The draft lands under the KB category
that matches the thread's board (same language), or the first category of that language; an editor
then reviews and publishes it through the usual Wagtail workflow. Its owner (who hears readers' comments
and answers for it) is whoever owns the category's most recently published article: the person who
already looks after that topic.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import markdown

# Board slug -> KB category slug (the demo's trees; unknown boards fall back to the first category).
BOARD_CATEGORIES = {
    "e-banking": "personal-ebanking",
    "bank-cards": "bank-cards",
    "credit-cards": "credit-cards",
    "online-funds": "online-funds",
    "phone-banking": "phone-banking",
    "corporate-e-banking": "corporate-ebanking",
}


def category_for(board):
    from kb.models import CategoryPage

    categories = CategoryPage.objects.filter(locale_id=board.locale_id).order_by("path")
    wanted = BOARD_CATEGORIES.get(board.slug)
    category = categories.filter(slug=wanted).first() if wanted else None
    return category or categories.first()


def owner_for(category):
    """The owner of the category's most recently published owned article, or None."""
    from kb.models import ArticlePage

    return (
        ArticlePage.objects.child_of(category)
        .exclude(article_owner=None)
        .order_by("-last_published_at")
        .values_list("article_owner", flat=True)
        .first()
    )


def create_draft(thread, moderator):
    """Create the draft article (live=False, one revision by `moderator`) and return it."""
    from wagtail.rich_text import RichText

    from forum.actions import ActionRefused
    from kb.models import ArticlePage

    category = category_for(thread.board)
    if category is None:
        raise ActionRefused(_("There is no knowledge-base category in this language yet."), status=409)
    answer = thread.accepted_post
    question = thread.opening_post
    with override(thread.board.locale.language_code):
        source = _("From the community forum thread “%(title)s”.") % {"title": thread.title}
    article = ArticlePage(
        title=thread.title[:255],
        slug=f"forum-thread-{thread.pk}",
        live=False,
        short_answer=markdown.excerpt(answer.body_html, 480),
        answer=[("rich_text", RichText(f"{answer.body_html}"))],
        search_description=source[:255],
        owner=moderator,
        article_owner_id=owner_for(category),
        locale_id=category.locale_id,
    )
    if question is not None:
        article.seo_title = thread.title[:255]
    category.add_child(instance=article)
    article.save_revision(user=moderator, log_action=True)
    return article
