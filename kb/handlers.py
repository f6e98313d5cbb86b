"""Receivers of Wagtail's page signals for KB pages. Cheap, and they never touch the network.

- Wagtail's built-in search index (only the admin's page search uses it: staff) follows articles on
  publish, unpublish and delete rather than on each of the several saves a publish makes
  (ArticlePage.search_auto_update is off); an import adds all its articles in one go at the end.
- Publishing an article makes the image renditions its answer shows, so that the first anonymous reader
  does not write them (no database write on a GET).
- A new knowledge-base index gets the "KB review" workflow.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from portal.core import bulk

logger = logging.getLogger(__name__)

RENDITIONS = ("width-800", "width-1600")


def article_published(sender, instance, **kwargs):
    from wagtail.search import index

    # An import (portal.core.bulk.deferred) indexes its articles once, in one request, when it is done.
    if not bulk.defer_each("kb:wagtail-index", instance.pk, _index_articles):
        index.insert_or_update_object(instance)
    image_ids = [
        block.value["image"].pk
        for block in instance.answer
        if block.block_type == "image" and block.value["image"] is not None
    ]
    if image_ids:
        transaction.on_commit(lambda: _make_renditions(image_ids))


def _index_articles(pks):
    """Wagtail's index for these articles, as insert_or_update_object does it one by one (live ones only)."""
    from wagtail.search import index
    from wagtail.search.backends import get_search_backends_with_name

    from kb.blocks import searchable_content_once
    from kb.models import ArticlePage

    pages = list(ArticlePage.get_indexed_objects().filter(pk__in=pks).order_by("pk"))
    if not pages:
        return
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            with searchable_content_once():
                backend.add_bulk(ArticlePage, [index.get_indexed_instance(page, check_exists=False) for page in pages])
        except Exception:
            logger.exception("could not add %d articles to the '%s' search backend", len(pages), name)
            if not backend.catch_indexing_errors:
                raise


def _make_renditions(image_ids):
    from wagtail.images import get_image_model

    for image in get_image_model().objects.filter(pk__in=image_ids):
        try:
            image.get_renditions(*RENDITIONS)
        except Exception:  # a broken file must not break publishing; the page falls back to rendering it later
            logger.exception("could not make renditions for image %s", image.pk)


def article_gone(sender, instance, **kwargs):
    from wagtail.search import index

    index.remove_object(instance)


def index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from kb.actions import ensure_review_workflow

        transaction.on_commit(ensure_review_workflow)


def connect():
    from kb.models import ArticlePage, KnowledgeIndexPage

    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="kb_article_published")
    page_unpublished.connect(article_gone, sender=ArticlePage, dispatch_uid="kb_article_unpublished")
    post_delete.connect(article_gone, sender=ArticlePage, dispatch_uid="kb_article_deleted")
    post_save.connect(index_created, sender=KnowledgeIndexPage, dispatch_uid="kb_index_created")
