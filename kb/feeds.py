"""Atom feed of recently updated articles in the active language. Public articles only, for everyone: a feed
is copied around by readers and aggregators, so it never depends on who fetched it."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from kb.models import ArticlePage, Audience
from kb.policies import KBPolicy


class _Public:
    is_authenticated = False
    is_anonymous = True

    def has_perm(self, perm, obj=None):
        return False


class RecentArticlesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return Locale.get_active()

    def title(self, locale):
        return _("Example Bank help articles: recently updated")

    def subtitle(self, locale):
        return _("New and updated answers from the Example Bank customer service centre.")

    def link(self, locale):
        from kb.models import KnowledgeIndexPage

        index = KnowledgeIndexPage.objects.filter(locale=locale, live=True).first()
        return index.get_url(self.request) if index else "/"

    def items(self, locale):
        qs = KBPolicy.visible_articles(_Public(), ArticlePage.objects.filter(locale=locale, audience=Audience.PUBLIC))
        return qs.defer("answer", "agent_notes").order_by("-last_published_at", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.short_answer

    def item_link(self, item):
        return item.get_url(self.request)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_pubdate(self, item):
        return item.first_published_at
