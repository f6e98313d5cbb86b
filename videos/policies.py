"""Who may do what with videos and live Q&A. Views, templates and the poll endpoint ask VideosPolicy.

Moderators are holders of videos.moderate_question (the Moderators group, portal roles table) and
superusers. Customers see approved questions, plus their own that wait for approval.
"""

from videos.models import EpisodeStatus, Question


def _memo(user, key, compute):
    cache = user.__dict__.setdefault("_videos_policy", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


class VideosPolicy:
    @staticmethod
    def can_moderate(user):
        if not user.is_authenticated or not user.is_active:
            return False
        return _memo(user, "moderate", lambda: user.is_superuser or user.has_perm("videos.moderate_question"))

    @staticmethod
    def can_ask(user, episode, now=None):
        """(allowed, reason code): only signed-in viewers, only while the episode is live."""
        if not user.is_authenticated or not user.is_active:
            return False, "sign_in"
        if episode.status(now) != EpisodeStatus.LIVE:
            return False, "not_live"
        return True, ""

    @staticmethod
    def can_vote(user, question):
        return user.is_authenticated and user.is_active and question.state == Question.State.APPROVED

    @classmethod
    def can_see_question(cls, user, question):
        if question.state == Question.State.APPROVED:
            return True
        if cls.can_moderate(user):
            return question.state == Question.State.PENDING
        return user.is_authenticated and question.author_id == user.pk and question.state == Question.State.PENDING

    @classmethod
    def visible_questions(cls, user, qs):
        from django.db.models import Q

        if cls.can_moderate(user):
            return qs.filter(state__in=[Question.State.APPROVED, Question.State.PENDING])
        if user.is_authenticated:
            return qs.filter(Q(state=Question.State.APPROVED) | Q(state=Question.State.PENDING, author_id=user.pk))
        return qs.filter(state=Question.State.APPROVED)
