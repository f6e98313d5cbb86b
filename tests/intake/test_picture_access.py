"""A picture sent with a message reaches only the customer who sent it (through their tracking link) and the
staff the intake policy lets see the message; everyone else gets 404, and no public /media/ URL exists."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.intake import actions
from portal.intake.models import Message
from tests.factories import UserFactory
from tests.intake.conftest import png_bytes

pytestmark = pytest.mark.django_db


def upload():
    return SimpleUploadedFile("screen.png", png_bytes(), content_type="image/png")


@pytest.fixture
def sent(make_message):
    return make_message(picture=upload())


def _track_url(message):
    return reverse("intake:track_picture", kwargs={"token": message.tracking_token})


def _desk_url(message):
    return reverse("intake:desk_picture", kwargs={"pk": message.pk})


def _body(response):
    return b"".join(response.streaming_content)


def test_the_customer_who_sent_it_sees_the_picture_through_the_tracking_link(client, sent):
    page = client.get(f"/messages/t/{sent.tracking_token}/").content.decode()
    response = client.get(_track_url(sent))

    assert f'src="{_track_url(sent)}"' in page
    assert "/media/" not in page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"  # re-encoded by the core's image handling
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert _body(response) == Path(sent.picture.path).read_bytes()


def test_another_customer_with_their_own_link_or_signed_in_gets_404(client, sent, make_message):
    other = make_message(subject="我的另一条留言", email="li@example.test", picture=upload())
    stranger = UserFactory()
    client.force_login(stranger)

    assert client.get(_track_url(other)).status_code == 200  # their own picture, not this one
    assert client.get(f"/messages/t/{other.tracking_token}x/picture/").status_code == 404
    assert client.get(_desk_url(sent)).status_code == 404


def test_the_author_signed_in_still_needs_the_tracking_link(client, make_message):
    author = UserFactory()
    message = make_message(user=author, email=author.email, picture=upload())
    client.force_login(author)

    assert client.get(_desk_url(message)).status_code == 404
    assert client.get(_track_url(message)).status_code == 200


def test_anonymous_visitors_get_404_whatever_they_guess(client, sent):
    assert client.get(_desk_url(sent)).status_code == 404
    assert client.get("/messages/t/not-a-token/picture/").status_code == 404
    assert client.get(f"/media/{sent.picture.name}").status_code == 404


def test_staff_without_the_message_desk_role_get_404(client, sent, agent, make_staff):
    editor = make_staff("Editors")
    for user in (agent, editor):
        client.force_login(user)
        assert client.get(_desk_url(sent)).status_code == 404, user


def test_the_message_desk_and_supervisors_see_the_picture(client, sent, desk, supervisor):
    for user in (desk, supervisor):
        client.force_login(user)
        response = client.get(_desk_url(sent))
        assert response.status_code == 200, user
        assert _body(response) == Path(sent.picture.path).read_bytes()
    detail = client.get(reverse("intake_admin:detail", kwargs={"pk": sent.pk})).content.decode()
    assert f'href="{_desk_url(sent)}"' in detail


def test_a_message_without_a_picture_answers_404_to_everyone(client, make_message, desk):
    message = make_message()
    assert client.get(_track_url(message)).status_code == 404
    client.force_login(desk)
    assert client.get(_desk_url(message)).status_code == 404


def test_the_file_lives_outside_the_public_media_folder_and_has_no_url(sent):
    stored = Path(sent.picture.path).resolve()

    assert stored.is_relative_to(Path(settings.PORTAL_PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG, re-encoded by the core's image handling
    with pytest.raises(ValueError, match="no URL"):
        sent.picture.url  # noqa: B018 (the property raises)


def test_anonymised_messages_lose_the_picture_and_its_link(client, sent, desk):
    path = Path(sent.picture.path)

    actions.anonymise_message(sent)

    assert not path.exists()
    assert client.get(_track_url(sent)).status_code == 404
    client.force_login(desk)
    assert client.get(_desk_url(sent)).status_code == 404
    assert Message.objects.get(pk=sent.pk).picture.name in ("", None)
