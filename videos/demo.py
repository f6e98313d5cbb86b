"""Demo content of the videos area: the three programmes from the seed article, with episodes.

Posters are drawn and caption files written at demo time (nothing binary is committed; the demo has no
video encoder, so episodes show their poster, chapters, transcript and captions, not a playing file).
Broadcast times are relative to now: one episode of 专家面对面 is live while the demo runs, one is
upcoming, and the replay keeps its answered questions. Idempotent like the rest of the demo.
"""

import datetime as dt
import functools
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone

from videos.models import EpisodePage, Expert, Question, SeriesPage, VideoIndexPage
from videos.models.pages import Frequency

INDEX = {
    "zh-hans": {"title": "专家视频", "intro": "专家面对面、汇市周周谈和视频课堂：直播答疑与回放。"},
    "en": {"title": "Expert videos", "intro": "Meet the Experts, FX Weekly and Video Classroom: live Q&A and replays."},
}

EXPERTS = [
    (
        "林慧",
        "Lin Hui",
        "首席理财顾问",
        "Chief wealth adviser",
        "示例银行财富管理部",
        "Example Bank Wealth Management",
        "从事个人理财咨询十五年，擅长家庭资产配置。",
        "Fifteen years of advice on household finances and asset allocation.",
    ),
    (
        "周航",
        "Zhou Hang",
        "外汇分析师",
        "FX analyst",
        "示例银行金融市场部",
        "Example Bank Markets",
        "每周解读汇率走势与央行政策。",
        "Reads the week's exchange rates and central-bank policy.",
    ),
    (
        "孙悦",
        "Sun Yue",
        "网银安全专家",
        "Online security specialist",
        "示例银行电子银行中心",
        "Example Bank E-banking Centre",
        "负责网上银行与手机银行的安全防护。",
        "Looks after the security of online and mobile banking.",
    ),
]

SERIES = [
    (
        "meet-the-experts",
        "专家面对面",
        "理财、网银安全等话题，专家在线解答观众提问。",
        "每月第二个周三 19:30",
        "Meet the Experts",
        "Our specialists answer viewers' questions on money and online safety.",
        "Second Wednesday monthly, 19:30",
        Frequency.MONTHLY,
        2,
        2,
        dt.time(19, 30),
        [0, 2],
    ),
    (
        "fx-weekly",
        "汇市周周谈",
        "回顾一周外汇市场，展望下周走势。",
        "每周五 20:00",
        "FX Weekly",
        "A look back at the week in currency markets and what comes next.",
        "Fridays 20:00",
        Frequency.WEEKLY,
        4,
        None,
        dt.time(20, 0),
        [1],
    ),
    (
        "video-classroom",
        "视频课堂",
        "几分钟学会一个网银或手机银行操作。",
        "随时观看",
        "Video Classroom",
        "Learn one online or mobile banking task in a few minutes.",
        "Watch any time",
        Frequency.NONE,
        None,
        None,
        None,
        [2],
    ),
]

# (series, slug, zh title, en title or None (Chinese only), zh summary, en summary, air offset hours or None,
#  minutes, experts, transcript [(seconds, zh, en)], chapters [(seconds, zh, en)])
SAFETY_LINES = [
    (0, "大家好，欢迎收看专家面对面。", "Hello and welcome to Meet the Experts."),
    (15, "今天我们聊聊网上银行的安全。", "Today we talk about online banking safety."),
    (42, "首先，U盾一定要随身保管。", "First, always keep your USB key with you."),
    (
        75,
        "不要把验证码告诉任何人，包括自称银行客服的人。",
        "Never tell anyone a verification code, even someone who says they are the bank.",
    ),
    (110, "登录时请核对网址和预留信息。", "When you sign in, check the address and your personal greeting."),
    (150, "接下来回答观众的提问。", "Now to viewers' questions."),
]
FX_LINES = [
    (0, "欢迎收看汇市周周谈。", "Welcome to FX Weekly."),
    (20, "本周美元兑人民币汇率小幅波动。", "This week the dollar moved a little against the yuan."),
    (
        65,
        "购汇前请了解每人每年五万美元的便利化额度。",
        "Before buying foreign currency, know the yearly allowance of 50,000 dollars a person.",
    ),
    (120, "下周重点关注央行议息会议。", "Next week, watch the central bank's rate meeting."),
]
LESSON_LINES = [
    (0, "本节课教您在手机银行转账。", "This lesson shows you how to transfer money in the mobile app."),
    (12, "打开手机银行，点击转账。", "Open the mobile banking app and tap Transfer."),
    (
        30,
        "输入收款人姓名和账号，核对无误后确认。",
        "Enter the payee's name and account number, check them, and confirm.",
    ),
    (55, "跨行转账一般两小时内到账。", "Transfers to other banks usually arrive within two hours."),
]

EPISODES = [
    (
        "meet-the-experts",
        "online-safety-2026-11",
        "网银安全那些事",
        "Staying safe in online banking",
        "专家讲解U盾、验证码和钓鱼网站的防范。",
        "USB keys, verification codes and phishing sites, explained.",
        -24 * 20,
        60,
        [2, 0],
        SAFETY_LINES,
        [(0, "开场", "Opening"), (42, "保管U盾", "Keeping your USB key"), (150, "观众提问", "Viewers' questions")],
    ),
    (
        "meet-the-experts",
        "family-finance-live",
        "家庭理财怎么做（直播）",
        "Household finances (live)",
        "直播中：专家在线回答家庭理财问题。",
        "Live now: our adviser answers questions on household finances.",
        -0.25,
        90,
        [0],
        SAFETY_LINES[:3],
        [(0, "开场", "Opening"), (42, "资产配置", "Asset allocation")],
    ),
    (
        "meet-the-experts",
        "pension-planning",
        "养老金规划",
        "Planning for retirement",
        "下期预告：如何为退休做准备。",
        "Coming up: how to prepare for retirement.",
        24 * 6,
        60,
        [0],
        [],
        [],
    ),
    (
        "fx-weekly",
        "fx-week-47",
        "第47周：美元小幅波动",
        "Week 47: the dollar moves a little",
        "回顾本周汇率与购汇额度。",
        "The week's rates and the yearly allowance.",
        -24 * 7,
        45,
        [1],
        FX_LINES,
        [(0, "本周回顾", "The week"), (65, "购汇额度", "Allowances"), (120, "下周展望", "Next week")],
    ),
    (
        "fx-weekly",
        "fx-week-48",
        "第48周：议息会议前瞻",
        None,
        "央行议息会议前的市场情绪。",
        "",
        -24 * 1,
        45,
        [1],
        FX_LINES[:2],
        [(0, "本周回顾", "The week")],
    ),
    (
        "fx-weekly",
        "fx-week-49",
        "第49周：年末汇市",
        "Week 49: the markets at year end",
        "下期预告：年末结汇与购汇。",
        "Coming up: year-end currency exchange.",
        24 * 4,
        45,
        [1],
        [],
        [],
    ),
    (
        "video-classroom",
        "mobile-transfer",
        "手机银行转账",
        "Transferring money in the mobile app",
        "三分钟学会手机银行转账。",
        "Learn to transfer money in the app in three minutes.",
        None,
        3,
        [2],
        LESSON_LINES,
        [(0, "打开转账", "Open Transfer"), (30, "确认信息", "Confirm the details")],
    ),
    (
        "video-classroom",
        "usb-key-setup",
        "U盾首次使用",
        "Setting up your USB key",
        "第一次使用U盾的安装步骤。",
        "Installing your USB key the first time.",
        None,
        4,
        [2],
        LESSON_LINES[:2],
        [(0, "准备", "Getting ready")],
    ),
]

REPLAY_QUESTIONS = [
    ("U盾丢了怎么办？", "请立即拨打客服热线挂失，并携带身份证到网点补办。"),
    ("收到自称银行的短信让我点链接，安全吗？", "不要点击。示例银行不会通过短信链接要求您登录或提供验证码。"),
    ("手机银行和网上银行可以同时使用吗？", "可以，两者使用同一套账户，安全设置分别管理。"),
]


def _vtt(lines, language):
    out = ["WEBVTT", ""]
    for index, (start, zh, en) in enumerate(lines):
        end = lines[index + 1][0] if index + 1 < len(lines) else start + 20
        text = en if language == "en" else zh
        out += [f"{_ts(start)} --> {_ts(end)}", text, ""]
    return "\n".join(out)


def _ts(seconds):
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


def _document(title, text):
    from wagtail.documents.models import Document

    doc = Document.objects.filter(title=title).first()
    if doc is None:
        doc = Document(title=title)
        doc.file.save(f"{title}.vtt", ContentFile(text.encode()), save=False)
        doc.save()
    return doc


def _poster(title, colour):
    from wagtail.images.models import Image

    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    image = Image(title=title, file=ImageFile(io.BytesIO(_poster_png(colour)), name=f"{title}.png"))
    image.save()
    return image


@functools.cache
def _poster_png(colour):
    """The poster's picture: one per programme colour, drawn and encoded once (eleven posters, three colours)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (640, 360), colour)
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 640, 40):
        draw.line([(step, 360), (step + 180, 0)], fill=tuple(min(255, c + 24) for c in colour), width=6)
    draw.ellipse([280, 140, 360, 220], fill=(255, 255, 255))
    draw.polygon([(308, 160), (308, 200), (340, 180)], fill=colour)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _experts():
    experts = []
    for name, name_en, title, title_en, org, org_en, bio, bio_en in EXPERTS:
        expert, _created = Expert.objects.update_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "job_title": title,
                "job_title_en": title_en,
                "organisation": org,
                "organisation_en": org_en,
                "bio": bio,
                "bio_en": bio_en,
            },
        )
        experts.append(expert)
    return experts


COLOURS = {"meet-the-experts": (11, 92, 173), "fx-weekly": (18, 120, 90), "video-classroom": (160, 90, 20)}


def build(homes):
    from portal.core.demo import ensure_pair, ensure_users, publish
    from videos.actions import ensure_review_workflow

    index = ensure_pair(homes["zh-hans"], VideoIndexPage, "videos", INDEX["zh-hans"], INDEX["en"])
    experts = _experts()
    series = {}
    for slug, zh_title, zh_desc, zh_sched, en_title, en_desc, en_sched, freq, weekday, week, time, hosts in SERIES:
        rule = {
            "schedule_frequency": freq,
            "schedule_weekday": weekday,
            "schedule_week": week,
            "schedule_time": time,
            "cover_image": _poster(f"cover-{slug}", COLOURS[slug]),
        }
        pair = ensure_pair(
            index["zh-hans"],
            SeriesPage,
            slug,
            {"title": zh_title, "description": zh_desc, "schedule": zh_sched, **rule},
            {"title": en_title, "description": en_desc, "schedule": en_sched, **rule},
        )
        for page in pair.values():
            wanted = {experts[i].pk for i in hosts}
            if set(page.hosts.values_list("pk", flat=True)) != wanted:
                page.hosts.set([experts[i] for i in hosts])
                publish(page)
        series[slug] = pair
    now = timezone.now().replace(second=0, microsecond=0)
    episodes = {}
    for (
        series_slug,
        slug,
        zh_title,
        en_title,
        zh_summary,
        en_summary,
        offset,
        minutes,
        who,
        lines,
        chapters,
    ) in EPISODES:
        air_at = now + dt.timedelta(hours=offset) if offset is not None else None
        poster = _poster(f"poster-{slug}", COLOURS[series_slug])
        common = {"air_at": air_at, "duration_seconds": minutes * 60, "poster": poster}
        if lines:
            common["captions_zh"] = _document(f"captions-{slug}-zh", _vtt(lines, "zh-hans"))
            common["captions_en"] = _document(f"captions-{slug}-en", _vtt(lines, "en"))
        zh_fields = {
            "title": zh_title,
            "summary": zh_summary,
            **common,
            "chapters": [("chapter", {"start": _mmss(s), "title": zh}) for s, zh, _en in chapters],
        }
        en_fields = None
        if en_title:
            en_fields = {
                "title": en_title,
                "summary": en_summary,
                **common,
                "chapters": [("chapter", {"start": _mmss(s), "title": en}) for s, _zh, en in chapters],
            }
        pair = ensure_pair(
            series[series_slug]["zh-hans"],
            EpisodePage,
            slug,
            _no_chapters(zh_fields),
            _no_chapters(en_fields) if en_fields else None,
        )
        for language, page in pair.items():
            if page is None:
                continue
            fields = zh_fields if language == "zh-hans" else en_fields
            page.chapters = fields["chapters"]
            page.load_webvtt()
            page.experts.set([experts[i] for i in who])
            publish(page)
        episodes[slug] = pair
    ensure_review_workflow()
    ensure_users()  # the replay's questions are asked by the demo customer and answered by the moderator
    _replay_questions(episodes["online-safety-2026-11"]["zh-hans"])
    return {"index": index, "series": series, "episodes": episodes}


def _mmss(seconds):
    return f"{seconds // 60}:{seconds % 60:02d}"


def _no_chapters(fields):
    return {k: v for k, v in fields.items() if k != "chapters"}


def _replay_questions(episode):
    """Answered questions of the replay, asked while it was live (through the actions, like real ones)."""
    from django.contrib.auth import get_user_model

    from videos import actions

    if Question.objects.filter(broadcast=episode.translation_key).exists():
        return
    users = get_user_model().objects
    customer = users.filter(email="customer@example.test").first()
    moderator = users.filter(email="moderator@example.test").first()
    if customer is None or moderator is None:
        return
    during = episode.air_at + dt.timedelta(minutes=10)
    for number, (text, answer) in enumerate(REPLAY_QUESTIONS):
        asker = moderator if number == 2 else customer
        question = actions.ask_question(episode=episode, user=asker, text=text, now=during).question
        question = actions.answer_question(question=question, user=moderator, answer=answer)
        if number == 0:
            question = actions.pin_question(question=question, user=moderator)
            actions.vote_question(question=question, user=customer)
