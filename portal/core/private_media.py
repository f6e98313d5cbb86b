"""Files that only a view which checks access may hand out: customers' pictures sent with a message.

They live under `PORTAL_PRIVATE_MEDIA_ROOT`, outside MEDIA_ROOT, so neither the proxy nor `/media/` can serve
them, and the storage has no URL: asking for one is a programming error, never a public link. A view that has
asked the app's policy streams the file with `serve`.
"""

import mimetypes

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(location=None, base_url=None)

    @cached_property
    def base_location(self):
        return str(settings.PORTAL_PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("private files have no URL: link the view that checks access")


_storage = None


def private_storage():
    """The one private storage (a callable, so the model field's migration does not freeze a path)."""
    global _storage
    if _storage is None:
        _storage = PrivateStorage()
    return _storage


def serve(field_file):
    """Stream a private file: private to the browser, never cached by a proxy, never sniffed as HTML."""
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        content_type = "application/octet-stream"
    response = FileResponse(field_file.storage.open(field_file.name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
