"""Signal receivers: every change to an indexed object writes an outbox row in the sender's transaction.

The content apps do not know search. Each document class in search.documents lists the signals that
concern it (`watched()`: Wagtail's publish/unpublish/move, post_save/post_delete, the forum's
`thread_changed`); `connect()` (called from SearchConfig.ready) wires them here. Receivers are cheap:
they only insert outbox rows and ask for a drain after commit. Staff edits of synonyms and dictionary
words make every process reload them within seconds.
"""

from django.db.models.signals import post_delete, post_save

from search import registry


def _receiver(kind, resolve):
    def receive(sender, **kwargs):
        if kwargs.get("raw"):
            return  # loading fixtures: not a content change
        from search.indexing import enqueue

        pks = resolve(**kwargs)
        if pks:
            enqueue(kind, pks)

    return receive


_connected = []


def connect():
    for kind, doc_class in registry.all_kinds().items():
        if not doc_class.is_available():
            continue
        for signal, sender, resolve in doc_class.watched():
            receiver = _receiver(kind, resolve)
            _connected.append(receiver)  # signals hold weak references
            signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"search:{kind}:{id(signal)}:{sender}")

    from search.models import DictionaryWord, SynonymGroup, VariantForm

    for model in (DictionaryWord, SynonymGroup):
        post_save.connect(config_changed, sender=model, dispatch_uid=f"search:config:save:{model.__name__}")
        post_delete.connect(config_changed, sender=model, dispatch_uid=f"search:config:delete:{model.__name__}")
    post_save.connect(variants_changed, sender=VariantForm, dispatch_uid="search:config:save:VariantForm")
    post_delete.connect(variants_changed, sender=VariantForm, dispatch_uid="search:config:delete:VariantForm")


def config_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    from django.db import transaction

    from search.analysis import bump_config_version

    transaction.on_commit(bump_config_version)


def variants_changed(sender, instance, **kwargs):
    """A variant form changes the tokens of the documents that contain it: re-index those, through the outbox."""
    if kwargs.get("raw"):
        return
    from django.db import transaction

    from search import indexing
    from search.analysis import bump_config_version

    forms = {instance.variant, instance.standard}
    transaction.on_commit(bump_config_version)
    transaction.on_commit(lambda: indexing.reindex_containing(forms))
