"""Knowledge-base pages against the trivial view, same run: `make bench` prints them side by side.

Anonymous readers (the page cache's case) and, for comparison, the same article for a signed-in agent
would need a session; wrk runs anonymous, so the agent figure is left to the query-count tests.
BENCHMARKS.md target for the article page: >= 160 req/s here (2x bakerydemo's blog post), <= 10 queries.
"""

from bench.harness import serve, wrk

PAGES = [
    ("/", "home page (zh-hans), for comparison"),
    ("/faq/personal-ebanking/register-personal-ebanking/", "KB article (zh-hans)"),
    ("/en/faq/personal-ebanking/register-personal-ebanking/", "KB article (en)"),
    ("/faq/personal-ebanking/login-and-security/", "KB category, 20 articles (zh-hans)"),
    ("/faq/", "KB index (zh-hans)"),
]


def main():
    with serve() as base:
        print(wrk(f"{base}/ping", "trivial view (/ping)").line())
        for path, label in PAGES:
            print(wrk(f"{base}{path}", label).line())


if __name__ == "__main__":
    main()
