"""IntakePolicy: the one place that says who sees and does what on the message desk.

- Customers see a message through its tracking token (anyone holding the link) or, signed in, their own.
  They add information, rate replies and reopen through the token; they never see internal notes.
- The "Message desk" role (`intake.work_messages`) sees the queue, claims, replies, notes, closes,
  reopens, merges and hands off. Supervisors (`intake.supervise_messages`) also assign to others, work the
  supervisor queue (dissatisfied ratings) and mark customers VIP (`intake.set_vip`).
- Agents in the search console (`accounts.use_agent_console`) log phone calls.
"""

from portal.intake.models import Entry, Status


class IntakePolicy:
    @staticmethod
    def is_desk(user):
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("intake.work_messages"))

    @staticmethod
    def is_supervisor(user):
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("intake.supervise_messages"))

    # --- Staff -----------------------------------------------------------------------------------------
    @classmethod
    def visible_messages(cls, user, queryset):
        if cls.is_desk(user) or cls.is_supervisor(user):
            return queryset
        return queryset.none()

    @classmethod
    def can_view(cls, user, message):
        return cls.is_desk(user) or cls.is_supervisor(user)

    @classmethod
    def can_view_picture(cls, user, message):
        """Staff side of a message's picture (the customer's side is their tracking token): who sees the message."""
        return bool(message.picture) and cls.can_view(user, message)

    @classmethod
    def can_claim(cls, user, message):
        return cls.is_desk(user) and message.status != Status.CLOSED and message.merged_into_id is None

    @classmethod
    def can_assign(cls, user, message, assignee):
        """Supervisors assign to any desk member; a desk member only to themselves (a claim)."""
        if message.status == Status.CLOSED or message.merged_into_id is not None:
            return False
        if not (cls.is_desk(assignee) or cls.is_supervisor(assignee)):
            return False
        if cls.is_supervisor(user):
            return True
        return cls.is_desk(user) and assignee.pk == user.pk

    @classmethod
    def can_reply(cls, user, message):
        return (cls.is_desk(user) or cls.is_supervisor(user)) and message.merged_into_id is None

    @classmethod
    def can_note(cls, user, message):
        return cls.is_desk(user) or cls.is_supervisor(user)

    @classmethod
    def can_close(cls, user, message):
        return cls.can_reply(user, message) and message.status != Status.CLOSED

    @classmethod
    def can_reopen(cls, user, message):
        return cls.can_reply(user, message) and message.status in (Status.ANSWERED, Status.CLOSED)

    @classmethod
    def can_merge(cls, user, source, target):
        return (
            cls.can_reply(user, source)
            and cls.can_reply(user, target)
            and source.pk != target.pk
            and target.status != Status.CLOSED
        )

    @classmethod
    def can_hand_off(cls, user, message):
        return cls.can_reply(user, message) and message.status in (Status.ANSWERED, Status.CLOSED)

    @classmethod
    def can_publish_to_forum(cls, user, message):
        return cls.can_hand_off(user, message) and message.forum_consent

    @classmethod
    def can_resolve_supervision(cls, user, message):
        return cls.is_supervisor(user) and message.needs_supervisor

    @staticmethod
    def can_set_vip(user):
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("intake.set_vip"))

    @staticmethod
    def can_log_call(user):
        return bool(user and user.is_authenticated and user.is_active and user.has_perm("accounts.use_agent_console"))

    # --- Customers -------------------------------------------------------------------------------------
    @staticmethod
    def customer_entries(entries):
        """What the author sees of the conversation: never internal notes."""
        return [entry for entry in entries if entry.kind != Entry.Kind.NOTE]

    @staticmethod
    def can_add_information(message):
        return message.merged_into_id is None and message.anonymised_at is None

    @staticmethod
    def can_rate(message, reply):
        return reply.kind == Entry.Kind.REPLY and reply.message_id == message.pk and message.anonymised_at is None

    @staticmethod
    def owns(user, message):
        return bool(user and user.is_authenticated and message.user_id == user.pk)
