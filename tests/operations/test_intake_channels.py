"""The message board, SMS and phone calls as dashboard channels: messages with known timestamps counted by the
same metrics as the forum, by kind, with VIP share, their live queue, drill-downs and the form's deflections."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from portal.intake import actions as intake
from portal.intake.models import Message
from portal.operations import metrics, queries, sources
from portal.operations.periods import Period
from tests.operations.conftest import at

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
DAY = at(2030, 3, 5).date()  # a Tuesday


def zh(message, **values):
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


@pytest.fixture
def desk(make_staff):
    return make_staff("Message desk", display_name="留言坐席小周")


@pytest.fixture
def supervisor(make_staff):
    return make_staff("Supervisors", display_name="主管")


def submit(when, kind="inquiry", subject="网银登录提示证书过期", email="wang@example.test"):
    message, _created = intake.submit_message(
        kind=kind,
        category="ebanking",
        subject=subject,
        body="今天登录网银时提示证书已过期。",
        name="王先生",
        email=email,
        check_limits=False,
        notify=False,
        now=when,
    )
    return message


def reply(staff, message, when, close=False):
    return intake.reply_to_message(staff, message, "请更新证书后再试。", close=close, notify=False, now=when)


@pytest.fixture
def board_day(desk, supervisor):
    """Three messages on the board on 5 March, one merged duplicate, and one the day after."""
    start = at(2030, 3, 5, 9)
    on_time = submit(start)  # inquiry: 48 hours to answer
    answer = reply(desk, on_time, start + 48 * H)  # exactly at the limit: met
    intake.rate_reply(on_time, answer, "very_satisfied", now=start + 50 * H)
    late = submit(start + H, kind="complaint", subject="柜台办理太慢")  # complaint: 24 hours
    answer = reply(desk, late, start + 26 * H, close=True)
    intake.rate_reply(late, answer, "dissatisfied", now=start + 27 * H)  # reopens it
    waiting = submit(start + 2 * H, subject="我的卡号6222021234567890128被锁了", email="li@example.test")
    Message.objects.filter(pk=waiting.pk).update(priority="vip")  # on the VIP line (set by the desk's VIP list)
    duplicate = submit(start + 3 * H)
    intake.merge_messages(desk, duplicate, on_time, now=start + 4 * H)
    submit(at(2030, 3, 6, 9))
    return {"on_time": on_time, "late": late, "waiting": waiting}


def board():
    return sources.get("messages")


def test_message_board_metrics_count_each_message_once_with_sla_reopen_rating_and_vip(board_day):
    values = metrics.summarise(board(), Period.containing("day", DAY), now=at(2030, 3, 10)).values

    assert values["new"] == 3  # the merged duplicate is not volume
    assert values["responded"] == 2
    assert values["sla_met_pct"] == 33.3  # on time (answered exactly at the limit); late; still waiting past due
    assert values["frt_median_hours"] == 25.0  # nearest rank of 25 h and 48 h
    assert values["frt_p90_hours"] == 48.0
    assert values["resolved"] == 1  # the dissatisfied complaint is waiting again
    assert values["reopen_pct"] == 100.0
    assert values["satisfaction_pct"] == 50.0  # "very satisfied" counts as satisfied
    assert values["rating_response_pct"] == 100.0
    assert values["vip_pct"] == 33.3


def test_message_board_breaks_down_by_kind_and_staff_member(board_day, desk):
    period = Period.containing("day", DAY)
    with translation.override("zh-hans"):
        kinds = metrics.breakdown(board(), period, "op_group", now=at(2030, 3, 10))
    staff = metrics.breakdown(board(), period, "op_staff", now=at(2030, 3, 10))

    assert [(row["op_group"], row["op_group_label"], row["new"]) for row in kinds] == [
        ("inquiry", zh("Inquiry"), 2),
        ("complaint", zh("Complaint"), 1),
    ]
    assert {row["op_staff"]: row["responded"] for row in staff} == {desk.pk: 2, None: 0}


def test_sms_and_logged_calls_are_channels_of_their_own(board_day, make_staff):
    agent = make_staff("Agents", display_name="电话坐席")
    intake.receive_sms(
        "+8613812345678", "LTK 信用卡额度怎么提高", signature="sig-ops-1", notify=False, now=at(2030, 3, 5, 10)
    )
    intake.log_call(agent, phone="+8613912345678", question="挂失后补卡多久", resolved=True, now=at(2030, 3, 5, 11))
    period = Period.containing("day", DAY)

    sms = metrics.summarise(sources.get("sms"), period, now=at(2030, 3, 5, 12)).values
    phone = metrics.summarise(sources.get("phone"), period, now=at(2030, 3, 5, 12)).values

    assert (sms["new"], sms["responded"], sms["sla_met_pct"]) == (1, 0, None)  # waiting, not yet due
    assert (phone["new"], phone["responded"], phone["sla_met_pct"], phone["frt_median_hours"]) == (1, 1, 100.0, 0.0)
    assert metrics.summarise(board(), period, now=at(2030, 3, 5, 12)).values["new"] == 3


def test_now_panel_shows_the_waiting_messages_with_the_oldest_masked(board_day):
    ours = [message.pk for message in board_day.values()]
    Message.objects.exclude(pk__in=ours).exclude(created_at__gte=at(2030, 3, 6)).delete()  # the demo's own desk
    with time_machine.travel(at(2030, 3, 8, 12), tick=False):
        data = queries.now_json()

    messages = next(row for row in data["channels"] if row["key"] == "messages")
    # The complaint waits again (a dissatisfied rating), the VIP message and the one of 6 March never had an answer.
    assert (messages["waiting"], messages["breached"]) == (3, 3)
    assert messages["oldest_url"] == f"/admin/messages/{board_day['late'].pk}/"
    assert messages["waiting_minutes"] == 74 * 60  # opened 5 March 10:00
    assert messages["oldest_title"] == "柜台办理太慢"
    sms = next(row for row in data["channels"] if row["key"] == "sms")
    assert (sms["waiting"], sms["breached"], sms["oldest_url"]) == (0, 0, "")


def test_drill_down_by_kind_lists_the_messages_with_numbers_masked(client, make_staff, board_day):
    client.force_login(make_staff("Operations", display_name="运营经理"))
    url = "/admin/operations/items/"
    params = {"channel": "messages", "period": "day", "date": "2030-03-05"}

    vip = client.get(url, {**params, "filter": "vip"})
    complaints = client.get(url, {**params, "filter": "new", "group": "complaint"})
    unknown = client.get(url, {**params, "filter": "new", "group": "12"})

    page = vip.content.decode()
    assert vip.status_code == 200 and vip.context["total"] == 1
    assert "6222021234567890128" not in page and "我的卡号" in page
    assert f'href="/admin/messages/{board_day["waiting"].pk}/"' in page
    assert [row["op_title"] for row in complaints.context["rows"]] == ["柜台办理太慢"]
    assert unknown.status_code == 404


def test_dashboard_shows_the_intake_channels_and_deflections_from_the_message_form(client, make_staff, board_day):
    for url, kind in (("/kb/a/", "kb"), ("/kb/b/", "kb"), ("/forum/t/1/", "forum")):
        with time_machine.travel(at(2030, 3, 5, 8), tick=False):
            intake.record_deflection(query="网银证书", url=url, title="证书更新", result_kind=kind)
    manager = make_staff("Operations", display_name="运营经理")

    with time_machine.travel(at(2030, 3, 10, 12), tick=False):
        client.force_login(manager)  # the session must be fresh at the travelled-to time
        response = client.get("/admin/operations/", {"period": "day", "date": "2030-03-05"})

    summary = response.context["summary"].rows
    labels = {row[0].text for row in summary}
    assert {zh("Forum"), zh("Message board"), zh("SMS"), zh("Phone calls")} <= labels
    vip = next(row for row in summary if row[0].text == zh("Message board") and row[1].text == zh("VIP share"))
    assert vip[2].text == "33.3%"
    kb = next(table for table in response.context["tables"] if table.key == "kb")
    figures = {row[0].text: row[1].text for row in kb.rows}
    assert figures[zh("Deflections from the message form")] == "3"
    assert figures[zh("Deflected by a KB article")] == "2"
    assert figures[zh("Deflection rate")] == "50%"  # 3 found their answer, 3 sent a message
    tables = {table.key for table in response.context["tables"]}
    assert {"groups-messages", "staff-messages", "groups-sms", "forecast-messages"} <= tables
