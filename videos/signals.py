"""Signals of the videos area, for listeners videos must not know (search, operations).

question_changed(sender=Question, question, action): sent inside the action's transaction whenever a live
question is asked, moderated, answered or voted on. Episodes are pages: listeners use Wagtail's page signals.
"""

from django.dispatch import Signal

question_changed = Signal()
