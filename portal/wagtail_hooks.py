"""Wagtail hooks of the portal app: every Wagtail page may be shared through the anonymous page cache."""

from wagtail import hooks

from portal.core import pagecache


@hooks.register("before_serve_page")
def share_anonymous_pages(page, request, serve_args, serve_kwargs):
    """Pages are the same for every anonymous reader unless their class says otherwise (`page_cache = False`);
    views under a page (forum routes) add the tags of what they show with `pagecache.allow`."""
    if getattr(page, "page_cache", True):
        pagecache.allow(request)
