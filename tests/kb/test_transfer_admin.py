"""The admin's import/export screen: upload -> dry-run report with line numbers -> import (reviewers) with
progress -> report; export downloads the kb_import format. Same code as the kb_import/kb_export commands."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kb.models import ArticleImport, ArticlePage
from tests.kb.conftest import new_category, row

pytestmark = pytest.mark.django_db

TRANSFER = "/admin/kb/transfer/"


def _jsonl(*rows):
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows).encode()


def _upload(client, content, name="articles.jsonl", **data):
    return client.post(TRANSFER, {"file": SimpleUploadedFile(name, content), **data})


def english_admin(user):
    """Wagtail's admin speaks the language of the user's admin profile (Chinese by default)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Views enqueue the check and the import after commit: run a request, then what its commit runs."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def upload(demo_site):
    category = new_category()
    good = row(slug="admin-import-good", category=category, title="后台导入的问题：如何修改预留手机号？")
    missing = row(slug="admin-import-bad", category=category)
    del missing["title"]
    return _jsonl(good, "{not json", missing)


def test_an_editor_sees_the_dry_run_report_with_line_numbers_and_nothing_is_saved(client, editor, upload, committed):
    client.force_login(english_admin(editor))

    response = committed(_upload, client, upload)

    job = ArticleImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/kb/transfer/{job.pk}/"
    assert job.status == ArticleImport.Status.CHECKED and job.total_rows == 3
    assert job.check_report["created"] == 1
    assert [line for line, _message in job.check_report["errors"]] == [2, 3]
    assert not ArticlePage.objects.filter(slug="admin-import-good").exists()
    html = client.get(response["Location"])
    page = html.content.decode()
    assert "Dry-run report: nothing has been saved yet" in page
    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in page
    assert "missing required column(s): title" in page
    assert "not valid JSON" in page
    # Editors check; importing publishes at once, so it is a reviewer's button.
    assert "Import 1 row" not in page
    assert "a KB reviewer starts the import" in page
    refused = client.post(response["Location"])  # Wagtail's admin answers a refusal by going home with a message
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert ArticleImport.objects.get().status == ArticleImport.Status.CHECKED


def test_a_reviewer_imports_the_checked_file_and_sees_the_report(client, reviewer, upload, committed):
    client.force_login(english_admin(reviewer))
    detail = committed(_upload, client, upload)["Location"]
    assert "Import 1 row" in client.get(detail).content.decode()

    response = committed(client.post, detail)

    job = ArticleImport.objects.get()
    assert response.status_code == 302
    assert job.status == ArticleImport.Status.DONE
    assert (job.processed_rows, job.total_rows, job.percent) == (3, 3, 100)
    assert job.import_report["created"] == 1 and len(job.import_report["errors"]) == 2
    page = ArticlePage.objects.get(slug="admin-import-good")
    assert page.live and page.latest_revision.user_id == reviewer.pk
    html = client.get(detail).content.decode()
    assert "Import report" in html and "1 created, 0 updated, 0 unchanged, 2 rejected" in html
    # A second click does not import twice.
    committed(client.post, detail)
    assert ArticlePage.objects.filter(slug="admin-import-good").count() == 1


def test_while_importing_the_page_shows_how_far_it_got(client, reviewer, upload):
    client.force_login(english_admin(reviewer))
    detail = _upload(client, upload)["Location"]
    ArticleImport.objects.update(status=ArticleImport.Status.IMPORTING, processed_rows=1)

    html = client.get(detail).content.decode()

    assert "Imported 1 of 3 rows (33%)." in html
    assert '<progress max="3" value="1"' in html
    assert 'data-running="true"' in html and "themes/js/kb-import" in html


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(client, editor, demo_site):
    client.force_login(english_admin(editor))

    response = _upload(client, "slug,title\n转账,问题\n".encode("gb18030"), name="articles.csv")

    assert response.status_code == 400
    assert "The file is not UTF-8 text (byte 14). Save it as UTF-8 and upload it again." in response.content.decode()
    assert not ArticleImport.objects.exists()


def test_an_empty_file_is_refused(client, editor, demo_site):
    client.force_login(english_admin(editor))

    response = _upload(client, b"\n\n")

    assert response.status_code == 400
    assert "The file has no articles in it." in response.content.decode()


def test_the_export_downloads_every_live_article_and_reimports_unchanged(client, editor, demo_site, committed):
    client.force_login(english_admin(editor))

    response = client.get("/admin/kb/transfer/export/", {"file_format": "csv", "locale": "en"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kb-articles-en-')
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeffslug,locale,category,title".encode())
    live_en = ArticlePage.objects.filter(live=True, locale__language_code="en").count()
    assert content.decode("utf-8-sig").count("\n") > live_en  # a header and one (or more) lines per article

    committed(_upload, client, content, name="kb-articles-en.csv")

    report = ArticleImport.objects.get().check_report
    assert (report["created"], report["updated"], report["errors"]) == (0, 0, [])
    assert report["unchanged"] == live_en


def test_customers_and_agents_cannot_reach_the_screen(client, customer, agent, demo_site):
    for user in (customer, agent):
        client.force_login(user)
        assert client.get(TRANSFER).status_code in (302, 403)
        assert client.get("/admin/kb/transfer/export/?file_format=csv").status_code in (302, 403)


def test_editors_find_the_screen_in_the_admin_menu(client, editor, demo_site):
    client.force_login(english_admin(editor))

    html = client.get("/admin/").content.decode()

    assert "kb-transfer" in html and TRANSFER in html
