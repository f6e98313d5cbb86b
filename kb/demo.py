"""Demo content of the knowledge base: the index and the categories in kb/demo/categories.json."""

import json
from pathlib import Path

from kb.models import CategoryPage, KnowledgeIndexPage

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"

INDEX = {
    "zh-hans": {"title": "常见问题", "intro": "网银、银行卡、信用卡、基金、外汇……按业务查找答案。"},
    "en": {"title": "Help articles", "intro": "Answers on e-banking, cards, credit cards, funds and FX, by topic."},
}


def load_categories():
    return json.loads((DEMO_DIR / "categories.json").read_text(encoding="utf-8"))


def build(homes):
    from portal.demo import ensure_pair

    index = ensure_pair(homes["zh-hans"], KnowledgeIndexPage, "faq", INDEX["zh-hans"], INDEX["en"])
    pages = {}
    for category in sorted(load_categories(), key=lambda c: c["path"].count("/")):
        parent_path, _sep, slug = category["path"].rpartition("/")
        parent = pages[parent_path]["zh-hans"] if parent_path else index["zh-hans"]
        pages[category["path"]] = ensure_pair(
            parent,
            CategoryPage,
            slug,
            {"title": category["zh-hans"]["title"], "intro": category["zh-hans"].get("intro", "")},
            {"title": category["en"]["title"], "intro": category["en"].get("intro", "")},
        )
    return {"index": index, "categories": pages}
