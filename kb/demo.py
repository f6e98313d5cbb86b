"""Demo content of the knowledge base: the index, the categories of demo_data/categories.json, and the 82
articles of demo_data/articles.jsonl (zh-hans and en, some agents-only) loaded through the same import as
`manage.py kb_import`, plus a few readers' votes so "popular answers" and the needs-review report show
something. Idempotent: a second run finds every article unchanged and every vote already cast.
"""

import hashlib
import json
from pathlib import Path

from kb import actions, transfer
from kb.models import ArticlePage, CategoryPage, KnowledgeIndexPage

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"

INDEX = {
    "zh-hans": {"title": "常见问题", "intro": "网银、银行卡、信用卡、基金、外汇……按业务查找答案。"},
    "en": {"title": "Help articles", "intro": "Answers on e-banking, cards, credit cards, funds and FX, by topic."},
}
OWNERS = {"corporate-ebanking": "reviewer@example.test"}  # top-level category -> owner; the rest: the editor
DEFAULT_OWNER = "editor@example.test"
PAST_REVIEW = "2026-06-30"  # a few articles are overdue for review, so the report has work in it
NEXT_REVIEW = "2027-06-30"
# (slug, locale, helpful votes, unhelpful votes): readers' verdicts for "popular" and the needs-review report
VOTES = [
    ("register-personal-ebanking", "zh-hans", 9, 1),
    ("ukey-no-response", "zh-hans", 7, 1),
    ("transfer-limits-personal", "zh-hans", 6, 0),
    ("report-lost-card", "zh-hans", 5, 0),
    ("register-personal-ebanking", "en", 4, 0),
    ("transfer-limits-personal", "en", 3, 1),
    ("fund-purchase-fees", "zh-hans", 1, 3),
    ("fx-annual-quota", "en", 1, 3),
]


def load_categories():
    return json.loads((DEMO_DIR / "categories.json").read_text(encoding="utf-8"))


def demo_rows():
    """(line, row) pairs of the demo file, with an owner and a review date for each article."""
    with (DEMO_DIR / "articles.jsonl").open(encoding="utf-8") as stream:
        for n, (line, row) in enumerate(transfer.read_jsonl(stream)):
            if isinstance(row, dict):
                top = row["category"].split("/")[0]
                row.setdefault("owner", OWNERS.get(top, DEFAULT_OWNER))
                row.setdefault("review_by", PAST_REVIEW if n % 11 == 5 else NEXT_REVIEW)
            yield line, row


def _ensure_owners():
    """The demo's editor and reviewer own the articles; create their accounts if the demo has not yet.

    portal.core.demo completes them (groups, MFA) right after the areas are built.
    """
    from django.contrib.auth import get_user_model

    from portal.core.demo import DEMO_USERS

    User = get_user_model()
    for spec in DEMO_USERS:
        if spec.email in {DEFAULT_OWNER, *OWNERS.values()} and not User.objects.filter(email=spec.email).exists():
            User.objects.create_user(spec.email, spec.password, display_name=spec.display_name)


def _demo_votes():
    for slug, locale, helpful, unhelpful in VOTES:
        article = ArticlePage.objects.filter(slug=slug, locale__language_code=locale).first()
        if article is None:
            continue
        for n in range(helpful + unhelpful):
            key = hashlib.sha256(f"demo-visitor-{n}".encode()).hexdigest()
            try:
                actions.record_feedback(article=article, helpful=n < helpful, visitor_key=key, language=locale)
            except actions.AlreadyRated:
                pass


def build(homes):
    from portal.core.demo import ensure_pair

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
    actions.ensure_review_workflow()
    _ensure_owners()
    report = actions.import_articles(demo_rows())
    if report.errors:
        raise RuntimeError("demo articles did not import: " + "; ".join(str(issue) for issue in report.errors))
    _demo_votes()
    return {"index": index, "categories": pages, "import": report}
