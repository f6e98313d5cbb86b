"""Knowledge-base models: the page tree (index > categories > articles) and the reader signals on articles
(feedback, agents' uses on calls). Re-exported here so `from kb.models import ArticlePage` keeps working."""

from kb.models.choices import Audience, Channel
from kb.models.feedback import ArticleFeedback, ArticleStats, ArticleUsage
from kb.models.pages import ArticlePage, ArticleRelation, ArticleTag, CategoryPage, KnowledgeIndexPage
from kb.models.transfer import ArticleImport

__all__ = [
    "ArticleFeedback",
    "ArticleImport",
    "ArticlePage",
    "ArticleRelation",
    "ArticleStats",
    "ArticleTag",
    "ArticleUsage",
    "Audience",
    "CategoryPage",
    "Channel",
    "KnowledgeIndexPage",
]
