"""Search at scale: 100,000 generated documents on a real Elasticsearch node, queried through the HTTP API.

`make bench-search` runs it. It generates realistic mixed Chinese/English service-centre documents
(articles, forum threads, videos; a share agents-only), indexes them with the real rebuild path
(search.indexing.rebuild: Python analysis, bulk, alias swap) under a throw-away prefix, serves the app
with gunicorn (bench.harness.serve) and replays a fixed query list against /api/search and
/api/suggest. It prints p50/p95 of both, the ratio of end-to-end time to Elasticsearch's own `took`,
and rebuild throughput, beside the trivial view. It asserts nothing; the indices are deleted at the end.

Elasticsearch: ELASTICSEARCH_URL if set (a separate prefix keeps the run apart), else a node is started
on port 9260 with scripts/elasticsearch/es.sh and stopped afterwards. BENCH_DOCS changes the size.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

from bench.harness import ROOT, bench_database, percentile, serve, wrk

DOCS = int(os.environ.get("BENCH_DOCS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BENCH_PORT = 9260

ZH_PRODUCTS = [
    "网银",
    "手机银行",
    "U盾",
    "信用卡",
    "借记卡",
    "快捷支付",
    "结售汇",
    "基金定投",
    "积存金",
    "企业网银",
    "短信验证码",
    "电话银行",
    "跨行转账",
    "预留手机号",
    "数字证书",
    "动账提醒",
    "理财产品",
    "外币现钞",
]
ZH_PROBLEMS = [
    "怎么开通",
    "登录不上",
    "提示错误",
    "收不到",
    "被锁定了",
    "忘记密码",
    "额度不够",
    "手续费多少",
    "多久到账",
    "怎么注销",
    "能不能取消",
    "显示异常",
    "无法使用",
    "要去网点吗",
    "怎么修改",
    "安全吗",
    "扣款失败",
]
ZH_SENTENCES = [
    "请先确认{p}已经开通，并检查手机网络是否正常。",
    "如果{p}连续输错密码三次，系统会自动锁定二十四小时。",
    "您可以在手机银行首页点击“{p}”进入办理，全程不用跑网点。",
    "通过{p}办理的业务，一般在当天晚上完成处理。",
    "{p}的单笔限额和日累计限额以页面显示为准，可以在设置中调整。",
    "遇到{p}相关的问题，也可以拨打客服热线40088-00000咨询。",
    "为了您的资金安全，请不要把{p}的验证码告诉任何人。",
    "换了新手机以后，需要重新绑定{p}的设备。",
    "部分老版本浏览器不支持{p}，建议升级后再试。",
    "{p}的手续费按笔收取，具体标准见收费公示。",
]
EN_PRODUCTS = [
    "online banking",
    "mobile app",
    "USB key",
    "credit card",
    "debit card",
    "SMS code",
    "FX quota",
    "fund plan",
    "gold account",
    "corporate banking",
    "transfer limit",
    "phone banking",
    "statement",
]
EN_PROBLEMS = [
    "not working",
    "how to activate",
    "locked",
    "fee",
    "limit too low",
    "arrival time",
    "cannot log in",
    "reset password",
    "cancel",
    "error message",
    "not received",
    "renewal",
    "new phone",
]
EN_SENTENCES = [
    "Make sure your {p} is set up and that your phone has a signal.",
    "After three wrong attempts the {p} is locked for twenty-four hours.",
    "You can manage your {p} in the app without going to a branch.",
    "Requests about the {p} are usually processed the same evening.",
    "Limits for the {p} are shown on the settings page and can be changed.",
    "If you have questions about your {p}, call us on 40088-00000.",
    "Never share a verification code for your {p} with anyone.",
    "On a new phone you need to link your {p} again.",
]
QUERIES = [
    "网银登录不上",
    "u盾没反应",
    "手机银行 换手机",
    "信用卡年费",
    "跨行转账手续费",
    "收不到验证码",
    "结售汇额度",
    "基金定投 扣款失败",
    "積存金",
    "预留手机号怎么改",
    "怎么转人工",
    "USB key not working",
    "reset password",
    "credit card fee",
    "transfer limit",
    "mobile app new phone",
    "SMS code not received",
    "pasword locked",
    "手机银航登录",
    "企业网银 授权",
    "快捷支付 开通",
    "外币现钞 预约",
    "动账提醒收费吗",
    "数字证书 到期",
    "phone banking menu",
    "FX quota",
    "gold account",
    "online banking cannot log in",
    "网银 U盾 转账 限额 调整",
    "statement",
]
PREFIXES = ["网银", "u盾", "手机", "信用", "跨行", "结售", "onl", "usb", "cred", "mob", "tra", "基金", "积存", "验证"]


def generate(count, seed=20261129):
    """Yield SearchRecords: 70% Chinese, 30% English; 45% articles, 45% threads, 10% videos; 8% agents-only."""
    from search.documents import SearchRecord

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(count):
        zh = rng.random() < 0.7
        products, problems, sentences = (
            (ZH_PRODUCTS, ZH_PROBLEMS, ZH_SENTENCES) if zh else (EN_PRODUCTS, EN_PROBLEMS, EN_SENTENCES)
        )
        product, other = rng.sample(products, 2)
        problem = rng.choice(problems)
        title = f"{product}{problem}？" if zh else f"{product.capitalize()}: {problem}?"
        body_parts = [
            rng.choice(sentences).format(p=rng.choice((product, product, other))) for _ in range(rng.randint(2, 5))
        ]
        kind = rng.choices(["kb", "forum", "videos"], weights=[45, 45, 10])[0]
        yield SearchRecord(
            kind=kind,
            pk=str(i + 1),
            locale="zh-hans" if zh else "en",
            audience="agents" if kind == "kb" and rng.random() < 0.08 else "public",
            title=title,
            url=f"/bench/{kind}/{i + 1}/",
            updated_at=start + timedelta(minutes=i),
            summary=body_parts[0],
            body=" ".join(body_parts[1:]) if zh else " ".join(body_parts[1:]),
            facet=f"cat-{rng.randint(1, 30)}",
            facet_label=f"Category {rng.randint(1, 30)}",
            tags=[product, other],
            channels=rng.sample(["web", "mobile", "phone", "counter"], 2),
            accepted=kind == "forum" and rng.random() < 0.3,
            rank_boost=round(1 + rng.random() * 0.5, 3),
        )


def es_url():
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        return url, False
    for port in (9200, 9250, BENCH_PORT):  # a local node already running (own prefix keeps the run apart)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_cluster/health", timeout=2).read()  # noqa: S310
            return f"http://127.0.0.1:{port}", False
        except OSError:
            continue
    subprocess.run([str(ROOT / "scripts/elasticsearch/es.sh"), "start", "--port", str(BENCH_PORT)], check=True)
    return f"http://127.0.0.1:{BENCH_PORT}", True


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        body = response.read()
    return (time.perf_counter() - started) * 1000, json.loads(body)


def line(label, values):
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return f"{label:<36} p50 {p50:>7.1f} ms   p95 {p95:>7.1f} ms   n={len(values)}"


def main():
    url, started_node = es_url()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["ELASTICSEARCH_URL"] = url
    os.environ["PORTAL_SEARCH_INDEX_PREFIX"] = prefix
    import django

    bench_database()  # bench.settings' copy of the demo, before Django opens it

    django.setup()
    from search import client as es
    from search import indexing

    try:
        print(f"Elasticsearch {url}, prefix {prefix}, {DOCS:,} generated documents")
        records = list(generate(DOCS))
        by_kind = {}
        for rec in records:
            by_kind.setdefault(rec.kind, []).append(rec)
        total_docs, total_seconds = 0, 0.0
        for kind, recs in by_kind.items():
            result = indexing.rebuild(
                kind, records=iter(recs), database=False, workers=indexing.rebuild_workers(len(recs))
            )
            total_docs += result.documents
            total_seconds += result.seconds
            rate = f"{result.per_second:,.0f} docs/s"
            print(f"rebuild {kind:<7} {result.documents:>7,} docs in {result.seconds:6.1f} s   {rate}")
        print(
            f"rebuild (all)  {total_docs:>7,} docs in {total_seconds:6.1f} s   {total_docs / total_seconds:,.0f} docs/s"
            "   (target >= 2,000 docs/s)"
        )
        es.get_client().indices.refresh(index=f"{prefix}-*")

        env = {"ELASTICSEARCH_URL": url, "PORTAL_SEARCH_INDEX_PREFIX": prefix}
        with serve(env=env) as base:

            def search_url(q):
                return f"{base}/api/search?" + urllib.parse.urlencode({"q": q, "size": 10, "live": 1})

            def suggest_url(q):
                return f"{base}/api/suggest?" + urllib.parse.urlencode({"q": q})

            for q in QUERIES + PREFIXES:  # warm both workers (jieba, vocabulary, connections)
                timed_get(search_url(q))
                timed_get(suggest_url(q))
            trivial, search_ms, took_ms, server_ms, suggest_ms, ratios = [], [], [], [], [], []
            for _round in range(ROUNDS):
                for q in QUERIES:
                    elapsed, data = timed_get(search_url(q))
                    assert data["backend"] == "elasticsearch", data  # noqa: S101 - a benchmark of the wrong engine is void
                    search_ms.append(elapsed)
                    took_ms.append(data["took_ms"])
                    server_ms.append(data["server_ms"])
                    ratios.append(elapsed / max(data["took_ms"], 1.0))
                for q in PREFIXES:
                    elapsed, _data = timed_get(suggest_url(q))
                    suggest_ms.append(elapsed)
                for _ in range(10):
                    started = time.perf_counter()
                    urllib.request.urlopen(f"{base}/ping", timeout=5).read()  # noqa: S310 - loopback only
                    trivial.append((time.perf_counter() - started) * 1000)
            freshness = []
            for n in range(5):  # a change as the outbox drain writes it, then searched for until it shows
                token = f"zqx{uuid.uuid4().hex[:6]}"
                rec = next(generate(1, seed=n))
                rec.pk, rec.title, rec.audience = f"fresh-{n}", f"{rec.title} {token}", "public"
                started = time.perf_counter()
                indexing.write_to_elasticsearch(rec.kind, {rec.pk: (rec, rec.analysed())}, [], indexing.read_version())
                while not timed_get(search_url(token))[1]["results"] and time.perf_counter() - started < 10:
                    time.sleep(0.05)
                freshness.append((time.perf_counter() - started) * 1000)
            # The customer's search page (HTML, facets on) under load, beside the trivial view in the same run.
            page_url = f"{base}/search/?" + urllib.parse.urlencode({"q": "网银登录不上"})
            load = [wrk(f"{base}/ping", "trivial view (/ping)").line(), wrk(page_url, "search page").line()]
        print(line("trivial view (/ping)", trivial))
        print(line("search /api/search end-to-end", search_ms) + "   (target p95 <= 50 ms)")
        print(line("  server time (in the view)", server_ms))
        print(line("  Elasticsearch took", took_ms))
        print(line("suggest /api/suggest end-to-end", suggest_ms) + "   (target p95 <= 25 ms)")
        print(line("a change searchable after (write -> found)", freshness) + "   (target <= 2,000 ms)")
        print("throughput (wrk -t2 -c8):")
        for text in load:
            print(text + ("   (target >= 132 req/s)" if "search page" in text else ""))
        print(
            f"end-to-end / took: median {statistics.median(ratios):.1f}x, "
            f"p50 e2e / p50 took {percentile(search_ms, 0.5) / max(percentile(took_ms, 0.5), 1):.1f}x   (target <= 3x)"
        )
    finally:
        es.get_client().options(ignore_status=404).indices.delete(index=f"{prefix}-*", expand_wildcards="all")
        if started_node:
            subprocess.run([str(ROOT / "scripts/elasticsearch/es.sh"), "stop"], check=False)


if __name__ == "__main__":
    sys.exit(main())
