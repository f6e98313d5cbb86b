"""portal/core/mail.py carries a message as it was rendered: allauth's messages may come with an HTML version,
and that version must reach the customer too (Django's in-memory mail backend; the immediate task backend)."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives

from portal.core.mail import queue_mail


def test_a_queued_message_keeps_its_html_version_and_goes_out_once():
    message = EmailMultiAlternatives("请确认您的邮箱", "请打开链接。", "service@example.test", ["li@example.test"])
    message.attach_alternative("<p>请打开<a href='https://example.test/c/1/'>链接</a>。</p>", "text/html")

    queue_mail("test.confirm:1", message)
    queue_mail("test.confirm:1", message)  # the same event again: nobody gets it twice

    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("请确认您的邮箱", "请打开链接。", ["li@example.test"])
    assert [tuple(alternative) for alternative in sent.alternatives] == [
        ("<p>请打开<a href='https://example.test/c/1/'>链接</a>。</p>", "text/html")
    ]


def test_a_message_with_an_attachment_is_refused_rather_than_sent_without_it():
    message = EmailMessage("报表", "见附件。", "service@example.test", ["ops@example.test"])
    message.attach("report.csv", "a,b\n", "text/csv")

    with pytest.raises(ValueError, match="queue_mail carries no attachments"):
        queue_mail("test.report:1", message)
    assert mail.outbox == []
