"""The import page (companion/web/pages_import.py, static/import.js) in real headless Chromium
against the real companion: a LinkedIn Connections.csv chosen with the file input is uploaded
once (multipart, with its progress), and the page shows the summary in Japanese; garbage shows
the bilingual reason and the form works again; a long import shows its progress page until its
summary; no file is left in the data folder."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.helpers import ROOT

LINKEDIN = ROOT / "tests" / "fixtures" / "imports" / "linkedin" / "basic" / "Connections.csv"


def upload_posts(web) -> list:
    posts = []
    web.page.on("request", lambda r: posts.append(r) if r.method == "POST"
                and r.url == web.url("/import") else None)
    return posts


def test_upload_a_linkedin_csv_and_see_the_summary_in_japanese(web):
    posts = upload_posts(web)
    web.goto("/settings")
    web.page.get_by_test_id("settings-import-link").click()
    expect(web.page.locator("h1")).to_have_text("データの取り込み")
    expect(web.page.get_by_test_id("import-formats")).to_contain_text("LinkedIn")
    web.page.get_by_test_id("import-file").set_input_files(str(LINKEDIN))
    web.page.get_by_test_id("import-submit").click()
    summary = web.page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("取り込みが終わりました")
    expect(web.page.get_by_test_id("import-created")).to_have_text("4")
    expect(web.page.get_by_test_id("import-file-name")).to_have_text("Connections.csv")
    assert len(posts) == 1                               # one upload, by import.js alone
    assert "multipart/form-data" in posts[0].headers.get("content-type", "")
    assert web.problems() == []
    assert not list((web.server.data_dir / "tmp").glob("*"))
    # the people are there
    web.page.get_by_test_id("import-see-contacts").click()
    expect(web.page.locator("main")).to_contain_text("連絡先")
    web.goto("/contacts?q=Moriwaki")
    expect(web.page.locator("main")).to_contain_text("Ken Moriwaki")


def test_garbage_shows_the_reason_in_both_languages_and_the_form_works_again(web, tmp_path):
    garbage = tmp_path / "mystery.json"
    garbage.write_text('{"not": "an export"}', encoding="utf-8")
    web.goto("/import")
    web.page.get_by_test_id("import-file").set_input_files(str(garbage))
    web.page.get_by_test_id("import-submit").click()
    error = web.page.get_by_test_id("import-error")
    expect(error).to_contain_text("取り込める形式ではありません")
    expect(error).to_contain_text("Not an export Goen can import")
    # the 400 is the answer (Chromium logs it to the console too); nothing else went wrong
    assert [f for f in web.problems()
            if "/import" not in f and "status of 400" not in f] == []
    # the form in the answer uploads again
    web.page.get_by_test_id("import-file").set_input_files(str(LINKEDIN))
    web.page.get_by_test_id("import-submit").click()
    expect(web.page.get_by_test_id("import-summary")).to_be_visible()
    assert not list((web.server.data_dir / "tmp").glob("*"))


def test_a_long_import_shows_its_progress_then_the_summary(web, tmp_path):
    # 50,000 connections take several seconds: longer than the upload's answer waits
    # (pages_import.ANSWER_WITHIN_SECONDS), so the page follows the import's progress
    rows = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    rows += [f"Given{i},Family{i // 7},https://www.linkedin.com/in/demo-long-{i},,Co {i % 50},"
             f"Engineer,15 Jan 2024" for i in range(50_000)]
    big = tmp_path / "Connections.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    web.goto("/import")
    web.page.get_by_test_id("import-file").set_input_files(str(big))
    web.page.get_by_test_id("import-submit").click()
    running = web.page.get_by_test_id("import-running")
    expect(running).to_be_visible(timeout=30_000)
    expect(web.page).to_have_url(re.compile(r"/import/jobs/[\w-]+$"))
    expect(running).to_contain_text("Connections.csv")
    expect(web.page.get_by_test_id("import-job-progress")).to_be_attached()
    summary = web.page.get_by_test_id("import-summary")
    expect(summary).to_be_visible(timeout=180_000)
    expect(web.page.get_by_test_id("import-created")).to_have_text("50000")
    assert web.problems() == []
    assert not list((web.server.data_dir / "tmp").glob("*"))
