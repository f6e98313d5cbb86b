"""Home page against a trivial view, same run: `make bench` prints both."""

from bench.harness import serve, wrk


def main():
    with serve() as base:
        print(wrk(f"{base}/ping", "trivial view (/ping)").line())
        print(wrk(f"{base}/", "home page (zh-hans)").line())
        print(wrk(f"{base}/en/", "home page (en)").line())


if __name__ == "__main__":
    main()
