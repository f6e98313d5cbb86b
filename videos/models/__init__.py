"""Models of the videos area: experts (a snippet), the page types, and the live Q&A rows."""

from videos.models.experts import Expert
from videos.models.live import AuditEntry, LiveState, Question, QuestionVote
from videos.models.pages import EpisodePage, EpisodeStatus, SeriesPage, VideoIndexPage

__all__ = [
    "AuditEntry",
    "EpisodePage",
    "EpisodeStatus",
    "Expert",
    "LiveState",
    "Question",
    "QuestionVote",
    "SeriesPage",
    "VideoIndexPage",
]
