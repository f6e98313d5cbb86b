"""Signals for listeners intake must not know (search may index messages for staff; operations may count).

`message_changed(sender=Message, message, action)` is sent inside the action's transaction, so a listener
can write an outbox row atomically. `action` is the name of the action (e.g. "submit_message", "reply").
"""

from django.dispatch import Signal

message_changed = Signal()
