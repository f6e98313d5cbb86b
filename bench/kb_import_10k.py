"""Time `manage.py kb_import` on generated articles in a throw-away SQLite database (not run by `make bench`:
it takes minutes). Usage: .venv/bin/python -m bench.kb_import_10k [COUNT]   (default 10000)

Builds a fresh database (migrate + demo content), writes COUNT articles as JSON Lines (half Chinese, half
their English translations, spread over the demo categories, with tags, related links, Markdown with steps,
tables and notices), then times the import and a second, idempotent import.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = [
    c["path"] for c in json.loads((ROOT / "kb" / "demo_data" / "categories.json").read_text(encoding="utf-8"))
]
TEXT = {
    "zh": [
        "办理步骤",
        "登录手机银行。",
        "选择",
        "按提示完成操作。",
        "项目",
        "说明",
        "示例说明",
        "注意",
        "请勿向任何人透露验证码。",
    ],
    "en": [
        "Steps",
        "Log in to the app.",
        "Choose",
        "Follow the prompts.",
        "Item",
        "Detail",
        "Example",
        "Note",
        "Never share codes.",
    ],
}
TOPICS = ["网银", "U盾", "转账", "信用卡", "基金", "外汇", "贵金属", "挂失", "开户", "手机银行"]


def article(n, locale, rng):
    topic = rng.choice(TOPICS)
    zh = locale == "zh-hans"
    words = TEXT["zh" if zh else "en"]
    body = (
        f"## {words[0]}\n\n1. {words[1]}\n2. {words[2]} {topic}\n3. {words[3]}\n\n"
        f"| {words[4]} | {words[5]} |\n|---|---|\n| {topic} | {words[6]} {n} |\n\n> **{words[7]}** {words[8]}\n"
    )
    return {
        "slug": f"generated-{n}",
        "locale": locale,
        "category": CATEGORIES[n % len(CATEGORIES)],
        "title": f"{topic}问题 {n}：如何办理？" if zh else f"Question {n} about {topic}: how do I do it?",
        "short_answer": f"{'可以在手机银行办理' if zh else 'You can do it in the app'} ({n}).",
        "answer": body,
        "tags": rng.sample(TOPICS, 3),
        "channels": rng.sample(["web", "mobile", "phone", "counter"], 2),
        "audience": "agents" if n % 10 == 0 else "public",
        "agent_notes": f"- {'内部备注' if zh else 'Internal note'} {n}",
        "related": [f"generated-{(n + k) % 5000}" for k in (1, 2, 3)],
    }


def main(count=10_000):
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="kb-import-") as tmp:
        env = {**os.environ, "PORTAL_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        manage = [sys.executable, "manage.py"]
        for step in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["demo_content", "--quiet-users"]):
            subprocess.run(manage + step, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for n in range(count // 2):
                for locale in ("zh-hans", "en"):
                    stream.write(json.dumps(article(n, locale, rng), ensure_ascii=False) + "\n")
        for label in ("first import", "second import (idempotent)"):
            started = time.monotonic()
            result = subprocess.run(
                manage + ["kb_import", str(path), "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True
            )
            seconds = time.monotonic() - started
            summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
            print(f"{label:<28} {count} rows in {seconds:8.1f} s ({count / seconds:6.1f} rows/s)   {summary}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
