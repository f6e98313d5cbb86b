"""Demo content of the videos area: the three programmes from the seed article."""

from videos.models import SeriesPage, VideoIndexPage

INDEX = {
    "zh-hans": {"title": "专家视频", "intro": "专家面对面、汇市周周谈和视频课堂：直播答疑与回放。"},
    "en": {"title": "Expert videos", "intro": "Meet the Experts, FX Weekly and Video Classroom: live Q&A and replays."},
}

SERIES = [
    (
        "meet-the-experts",
        "专家面对面",
        "理财、网银安全等话题，专家在线解答观众提问。",
        "每月第二个周三 19:30",
        "Meet the Experts",
        "Our specialists answer viewers' questions on money and online safety.",
        "Second Wednesday monthly, 19:30",
    ),
    (
        "fx-weekly",
        "汇市周周谈",
        "回顾一周外汇市场，展望下周走势。",
        "每周五 20:00",
        "FX Weekly",
        "A look back at the week in currency markets and what comes next.",
        "Fridays 20:00",
    ),
    (
        "video-classroom",
        "视频课堂",
        "几分钟学会一个网银或手机银行操作。",
        "随时观看",
        "Video Classroom",
        "Learn one online or mobile banking task in a few minutes.",
        "Watch any time",
    ),
]


def build(homes):
    from portal.core.demo import ensure_pair

    index = ensure_pair(homes["zh-hans"], VideoIndexPage, "videos", INDEX["zh-hans"], INDEX["en"])
    series = {}
    for slug, zh_title, zh_desc, zh_sched, en_title, en_desc, en_sched in SERIES:
        series[slug] = ensure_pair(
            index["zh-hans"],
            SeriesPage,
            slug,
            {"title": zh_title, "description": zh_desc, "schedule": zh_sched},
            {"title": en_title, "description": en_desc, "schedule": en_sched},
        )
    return {"index": index, "series": series}
