"""A read-only panel in the article editor: readers' votes, agents' uses and the latest comments."""

from wagtail.admin.panels import Panel


class FeedbackSummaryPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "kb/admin/feedback_panel.html"

        def get_context_data(self, parent_context=None):
            from kb.models import ArticleFeedback, ArticleStats

            context = super().get_context_data(parent_context)
            instance = self.instance
            context["stats"] = ArticleStats.objects.filter(article_id=instance.pk).first() if instance.pk else None
            context["comments"] = (
                list(ArticleFeedback.objects.filter(article_id=instance.pk).exclude(comment="")[:10])
                if instance.pk
                else []
            )
            return context
