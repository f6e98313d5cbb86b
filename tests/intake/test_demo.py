"""The demo desk: every kind, channel and status in both languages; answered and rated; two breaching; a VIP."""

import pytest
from django.utils import timezone

from portal.intake.models import Message, Rating

pytestmark = pytest.mark.django_db


def test_demo_has_every_kind_channel_and_status_in_both_languages(demo_site):
    demo = Message.objects.all()
    assert set(demo.values_list("kind", flat=True)) == {"inquiry", "suggestion", "complaint", "praise"}
    assert set(demo.values_list("channel", flat=True)) == {"web", "sms", "phone"}
    assert set(demo.values_list("status", flat=True)) == {"new", "assigned", "answered", "closed"}
    assert set(demo.values_list("language", flat=True)) == {"zh-hans", "en"}
    assert Rating.objects.count() >= 4 and Rating.objects.filter(score="dissatisfied").exists()
    now = timezone.now()
    breaching = [m for m in demo if m.sla_state(now) == "breached" and m.is_open]
    assert len(breaching) >= 2
    assert demo.filter(priority="vip").count() == 1
    assert demo.filter(channel="sms").count() == 1 and demo.filter(channel="phone").count() == 1
