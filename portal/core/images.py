"""Safe image uploads: validate with Pillow, refuse bombs and non-images, resize, strip metadata.

Every uploaded picture (avatars, forum attachments) goes through `process_image`, which returns freshly
encoded bytes: EXIF (GPS position, camera serials), comments and any payload hidden in metadata are gone.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def process_image(upload, *, max_side, square=False):
    """Return a ContentFile with a clean JPEG (or PNG when the picture has transparency).

    Raises ValidationError with a message the customer can act on.
    """
    max_bytes = settings.PORTAL_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The picture is too large (%(size)d MB at most).") % {"size": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = settings.PORTAL_UPLOAD_MAX_PIXELS
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG, GIF or WebP picture."), code="format")
            width, height = probe.size
            if width * height > settings.PORTAL_UPLOAD_MAX_PIXELS:
                raise ValidationError(_("The picture has too many pixels to process."), code="bomb")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The picture has too many pixels to process."), code="bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This file is not a picture we can read."), code="invalid") from exc

    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
    if square:
        image = ImageOps.fit(image, (max_side, max_side))
    else:
        image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.{extension}")
