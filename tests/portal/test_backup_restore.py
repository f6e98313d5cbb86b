"""scripts/backup.sh then scripts/restore.sh into a fresh database and media folder: the site serves the same.

The demo service centre (plus one uploaded avatar) is backed up from a real database (SQLite: the test database
copied into a file; PostgreSQL: the test database), restored into a new one, the search entries rebuilt, and
then gunicorn on the original and gunicorn on the restored copy answer the same pages, search included.
"""

import hashlib
import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection

from forum.models import Thread
from kb.models import ArticlePage
from tests import live
from tests.demo import ensure_demo

pytestmark = pytest.mark.django_db(transaction=True)  # other processes read the rows
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|csrftoken=[^;"]*')


def _digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _content(html):
    links = sorted(re.findall(r'href="([^"]+)"', html))
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
    return title, links, headings


def _pages(base, paths):
    pages = {}
    for path in paths:
        response = requests.get(base + path, timeout=60, allow_redirects=False)
        pages[path] = (response.status_code, TOKEN.sub("", response.text))
    return pages


def _script(name, env, *args):
    return subprocess.run(
        [str(live.ROOT / "scripts" / name), *args], cwd=live.ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_backup_restored_into_a_fresh_database_serves_the_same_site(tmp_path):
    ensure_demo()
    article = ArticlePage.objects.live().public().filter(locale__language_code="zh-hans", audience="public").first()
    thread = Thread.objects.filter(state="published").order_by("id").first()
    paths = ["/", "/en/", quote(article.url), quote(thread.get_absolute_url()), "/search/?q=" + quote("网银")]
    media = tmp_path / "media"
    shutil.copytree(settings.MEDIA_ROOT, media)
    (media / "avatars").mkdir(exist_ok=True)
    (media / "avatars" / "restored.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a picture")
    private = tmp_path / "private_media"  # a customer's picture sent with a message (never under media/)
    (private / "intake" / "2026" / "12").mkdir(parents=True)
    (private / "intake" / "2026" / "12" / "sent.png").write_bytes(b"\x89PNG\r\n\x1a\n a customer's picture")
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    if connection.vendor == "sqlite":
        live.copy_to_file(tmp_path / "portal.sqlite3")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
            cursor.execute(f'CREATE DATABASE "{restored_name}"')
    original = live.environment(
        live.database_url(tmp_path / "portal.sqlite3"),
        PORTAL_TEST_MEDIA_ROOT=str(media),
        PORTAL_TEST_PRIVATE_MEDIA_ROOT=str(private),
    )
    restored = live.environment(
        live.database_url(tmp_path / "restored.sqlite3", name=restored_name),
        PORTAL_TEST_MEDIA_ROOT=str(tmp_path / "restored-media"),
        PORTAL_TEST_PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-private-media"),
    )
    live.manage(original, "createcachetable")  # the servers' shared cache, as in production
    try:
        backup = _script("backup.sh", original, str(tmp_path / "backup"))
        restore = _script("restore.sh", restored, str(tmp_path / "backup"))
        again = _script("restore.sh", restored, str(tmp_path / "backup"))

        assert backup.returncode == 0, backup.stderr
        assert restore.returncode == 0, restore.stderr
        assert "Restored" in restore.stdout
        assert again.returncode != 0
        assert "The database is not empty: restore only into a fresh database." in again.stderr
        assert _digests(tmp_path / "restored-media") == _digests(media)
        assert _digests(tmp_path / "restored-private-media") == _digests(private)

        with live.gunicorn(original, tmp_path / "original.log") as base:
            before = _pages(base, paths)
        with live.gunicorn(restored, tmp_path / "restored.log") as base:
            after = _pages(base, paths)

        assert {path: status for path, (status, _html) in before.items()} == dict.fromkeys(paths, 200)
        # Home pages and the article are the same to the byte; the thread and search pages carry times and
        # timings of their own, so there the title, every link (posts, results) and the text are compared.
        for path in paths[:3]:
            assert after[path] == before[path]
        for path in paths[3:]:
            assert _content(after[path][1]) == _content(before[path][1])
        assert thread.title in after[paths[3]][1]
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
