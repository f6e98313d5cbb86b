"""Signals the knowledge base sends so other apps (operations, search) can follow reader activity without
kb knowing them. Article content changes need no signal of ours: Wagtail's page_published, page_unpublished
and post_delete already tell listeners (the search side indexes from those).

`feedback_recorded(sender=ArticleFeedback, feedback=<ArticleFeedback>)`: a reader voted on an article.
`article_used(sender=ArticleUsage, usage=<ArticleUsage>)`: an agent used an article on a call.
`articles_imported(sender=None, report=<kb.actions.ImportReport>)`: an import finished (not sent on dry runs).

Sent inside the action's transaction after its rows are written: receivers must be cheap and defer any
network work with `transaction.on_commit`.
"""

from django.dispatch import Signal

feedback_recorded = Signal()  # sender=ArticleFeedback, feedback=ArticleFeedback
article_used = Signal()  # sender=ArticleUsage, usage=ArticleUsage
articles_imported = Signal()  # sender=None, report=ImportReport
