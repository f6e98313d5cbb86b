"""Privacy: retention anonymises closed messages; hostile text is stored exactly and rendered inert."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.intake import actions
from portal.intake.models import Message
from tests.forum.test_hostile_input import assert_inert

pytestmark = pytest.mark.django_db

TESTDATA = Path("/work/shared/testdata")
if not TESTDATA.exists():
    TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"


def _closed_long_ago(make_message, desk, **fields):
    message = make_message(**fields)
    actions.reply_to_message(desk, message, "答复 13812345678", close=True, notify=False)
    Message.objects.filter(pk=message.pk).update(closed_at=timezone.now() - timedelta(days=400))
    return message


def test_retention_dry_run_reports_and_changes_nothing(make_message, desk):
    old = _closed_long_ago(make_message, desk, email="old@example.test")
    out = StringIO()
    call_command("intake_retention", "--older-than", "365d", "--dry-run", stdout=out)
    assert "Would anonymise" in out.getvalue() and "(dry run)" in out.getvalue()
    old.refresh_from_db()
    assert old.email == "old@example.test" and old.anonymised_at is None


def test_retention_anonymises_closed_messages_older_than_the_limit(client, make_message, desk):
    old = _closed_long_ago(make_message, desk, email="old@example.test", name="老客户", phone="+8613812345678")
    recent = make_message(email="recent@example.test")
    before = Message.objects.filter(
        status="closed", anonymised_at=None, closed_at__lt=timezone.now() - timedelta(days=365)
    ).count()
    out = StringIO()
    call_command("intake_retention", "--older-than", "365d", stdout=out)
    assert out.getvalue().strip().startswith(f"Anonymised {before} closed messages")
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.user_id) == ("", "", "", None)
    assert old.anonymised_at is not None
    assert "13812345678" not in " ".join(old.entries.values_list("body", flat=True))
    recent.refresh_from_db()
    assert recent.email == "recent@example.test"
    # The old tracking link no longer opens anything.
    assert client.get(f"/messages/t/{old.tracking_token}/").status_code == 404


def test_retention_refuses_a_bad_age():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("intake_retention", "--older-than", "a year")


def _strings():
    naughty = json.loads((TESTDATA / "blns" / "blns.json").read_text(encoding="utf-8"))
    xss = json.loads((TESTDATA / "owasp-xss" / "owasp_xss_filter_evasion_vectors.json").read_text(encoding="utf-8"))
    vectors = [item if isinstance(item, str) else item.get("vector") or "" for item in xss]
    return [s for s in naughty if s.strip()][:120] + [v for v in vectors if v.strip()][:60]


def test_hostile_text_in_every_field_is_stored_exactly_and_rendered_inert(client, homes, desk, fresh, settings):
    from tests.intake.conftest import form_data

    settings.PORTAL_INTAKE_RATE_LIMITS = []
    strings = _strings()
    for index in range(0, len(strings), 3):
        subject, body, name = (strings[index : index + 3] + ["x", "x"])[:3]
        subject = subject.replace("\x00", "")[:200] or "x"
        data = form_data(subject=subject, body=body.replace("\x00", ""), name=name.replace("\x00", "")[:80] or "x")
        response = client.post("/messages/", data)
        assert response.status_code in (302, 400), (subject, response.status_code)
        if response.status_code == 302:
            message = fresh.all().last()
            # Stored exactly as typed (form fields strip surrounding whitespace; nothing else changes).
            assert message.subject == data["subject"].strip()
            assert message.entries.get().body == data["body"].strip()
            page = client.get(response["Location"])
            assert page.status_code == 200
            assert_inert(page.content.decode())
        else:
            assert_inert(response.content.decode())
    created = list(fresh.all())
    assert len(created) > 40
    client.force_login(desk)
    queue = client.get("/admin/messages/?status=new")
    assert queue.status_code == 200
    for message in created[:10]:
        assert client.get(f"/admin/messages/{message.pk}/").status_code == 200
