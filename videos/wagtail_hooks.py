"""Admin: experts as a snippet; the video review workflow is attached by videos.actions/demo."""

from wagtail.snippets.models import register_snippet

from videos.models import Expert

register_snippet(Expert)
