"""State changes of accounts, each one function used by views, commands and tests."""

from django.db import transaction

from portal.core.images import process_image
from portal.core.masking import mask_personal_data


@transaction.atomic
def update_profile(user, *, display_name, preferred_language, avatar_upload=None, remove_avatar=False):
    """Save the profile; a new avatar is validated and re-encoded before anything is written.

    If the picture is refused, ValidationError propagates and nothing changes (no orphan file). The display
    name is shown beside every post, so card, ID and mobile numbers in it are masked before it is stored.
    """
    new_avatar = process_image(avatar_upload, max_side=_avatar_size(), square=True) if avatar_upload else None
    old_avatar = user.avatar.name if user.avatar else None
    user.display_name = mask_personal_data(display_name or "").text
    user.preferred_language = preferred_language
    fields = ["display_name", "preferred_language"]
    if new_avatar is not None:
        user.avatar.save(new_avatar.name, new_avatar, save=False)
        fields.append("avatar")
    elif remove_avatar:
        user.avatar = None
        fields.append("avatar")
    try:
        user.save(update_fields=fields)
    except Exception:
        if new_avatar is not None:
            user.avatar.storage.delete(user.avatar.name)  # the row was not written: leave no orphan file
        raise
    if old_avatar and "avatar" in fields:
        storage = user._meta.get_field("avatar").storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return user


def _avatar_size():
    from django.conf import settings

    return settings.PORTAL_AVATAR_SIZE
