"""RSS per board: the newest public threads, with their question. Pending and hidden content never appears.

The feed asks ForumPolicy.visible_threads as an anonymous reader, whoever requests it, so a moderator's
feed reader cannot leak staff-only threads into a shared aggregator.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from forum import caching
from forum.models import Thread
from forum.models.threads import State
from forum.policies import ForumPolicy
from portal.core import pagecache

FEED_SIZE = 30


class BoardFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, board):
        pagecache.allow(request, caching.BOARDS)
        self.request = request
        self.board_url = board.get_url(request)
        return board

    def title(self, board):
        return _("%(board)s · Example Bank community") % {"board": board.title}

    def link(self, board):
        return self.board_url

    def description(self, board):
        return board.description

    def items(self, board):
        threads = ForumPolicy.visible_threads(AnonymousUser(), Thread.objects.filter(board=board))
        return list(
            threads.filter(opening_post__state=State.PUBLISHED)
            .select_related("opening_post", "author")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        return thread.opening_post.body_html

    def item_link(self, thread):
        return thread.get_absolute_url(self.board_url)

    def item_pubdate(self, thread):
        return thread.created_at

    def item_author_name(self, thread):
        return thread.author.public_name if thread.author else None
