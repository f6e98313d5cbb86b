"""Avatars: resized, metadata stripped, non-pictures and decompression bombs refused, nothing orphaned."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db


def _jpeg_with_exif(size=(1200, 800)):
    image = Image.new("RGB", size, (11, 92, 173))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "secret-software"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _media_files(settings):
    found = []
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(folder, f) for f in files]
    return found


def test_avatar_is_resized_and_exif_is_stripped(client, customer, settings):
    client.force_login(customer)

    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "小明",
            "preferred_language": "zh-hans",
            "avatar": SimpleUploadedFile("me.jpg", _jpeg_with_exif(), content_type="image/jpeg"),
        },
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    with Image.open(customer.avatar.path) as saved:
        assert saved.size == (settings.PORTAL_AVATAR_SIZE, settings.PORTAL_AVATAR_SIZE)
        assert dict(saved.getexif()) == {}
    assert "me.jpg" not in customer.avatar.name


def test_a_text_file_is_refused_with_a_clear_message_and_the_form_keeps_its_values(client, customer, settings):
    client.force_login(customer)
    before = _media_files(settings)

    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "我的新名字",
            "preferred_language": "en",
            "avatar": SimpleUploadedFile("evil.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"),
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is not a picture we can read." in html
    assert 'value="我的新名字"' in html
    customer.refresh_from_db()
    assert customer.display_name != "我的新名字"
    assert _media_files(settings) == before


def test_decompression_bomb_is_refused(client, customer, settings):
    settings.PORTAL_UPLOAD_MAX_PIXELS = 1_000_000
    client.force_login(customer)
    bomb = io.BytesIO()
    Image.new("1", (4000, 4000)).save(bomb, format="PNG")  # tiny file, 16 million pixels

    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "",
            "preferred_language": "en",
            "avatar": SimpleUploadedFile("bomb.png", bomb.getvalue(), content_type="image/png"),
        },
    )

    assert response.status_code == 400
    assert "The picture has too many pixels to process." in response.content.decode()
    customer.refresh_from_db()
    assert not customer.avatar


def test_display_name_with_markup_is_refused(client, customer):
    client.force_login(customer)

    response = client.post("/en/accounts/profile/", {"display_name": "<script>x</script>", "preferred_language": "en"})

    assert response.status_code == 400
    assert "cannot contain &lt; or &gt;" in response.content.decode()
