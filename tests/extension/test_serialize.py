"""The trimming contract (docs/CAPTURE.md) checked in the real browser: content/serialize.js is
injected with chrome.scripting.executeScript, as the service worker does, into a page that has
one of everything the contract names; every rule is checked on the html it returns."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import lxml.html
import pytest

URL = "https://www.linkedin.com/goen-test/trimming"
BIG = "x" * 3000

PAGE = f"""<!DOCTYPE html>
<html lang="ja" dir="ltr"><head><meta charset="utf-8"><title>トリミング試験 | Goen</title>
<meta property="og:title" content="試験 太郎">
<meta name="description" content="説明">
<link rel="canonical" href="https://www.linkedin.com/in/trim-test/">
<link rel="me" href="https://x.com/trim_test">
<link rel="stylesheet" href="/goen-test/style.css">
<link rel="preload" href="/goen-test/font.woff2" as="font" crossorigin>
<link rel="prefetch" href="/goen-test/next.html">
<link rel="modulepreload" href="/goen-test/mod.js">
<style>.css-none {{ display: none }} .css-invisible {{ visibility: hidden }}
  .visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); white-space: nowrap }}</style>
<script>window.pageScriptRan = true;</script>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Person",
  "name": "試験 太郎"}}</script>
<script src="/goen-test/app.js" nonce="n0nce" integrity="sha384-abc" async></script>
</head>
<body class="render-mode-BIGPIPE" onload="window.loaded = 1">
<!-- a comment that must not be sent -->
<main id="main" role="main">
<h1 id="name" class="text-heading-xlarge inline" data-testid="UserName" style="color: red"
    onclick="alert(1)" onmouseover="alert(2)">試験 太郎</h1>
<p id="kept-aria-hidden" aria-hidden="true">試験 太郎 (aria-hidden)</p>
<span id="kept-visually-hidden" class="visually-hidden">試験 太郎 (screen reader)</span>
<div id="gone-hidden-attribute" hidden>SECRET-hidden-attribute</div>
<div id="gone-inline-none" style="display:none">SECRET-inline-display-none
  <span id="gone-child">SECRET-child</span></div>
<div id="gone-css-none" class="css-none">SECRET-css-display-none</div>
<div id="gone-invisible" class="css-invisible">SECRET-visibility-hidden</div>
<img id="avatar" src="/goen-test/avatar.png" srcset="/a.png 1x, /b.png 2x" sizes="100px"
     alt="試験 太郎の写真" title="写真" loading="lazy">
<time id="when" datetime="2026-11-25T10:00:00Z">昨日</time>
<a id="link" href="https://x.com/trim_test" rel="me noopener" aria-label="X のプロフィール"
   lang="en" dir="ltr">@trim_test</a>
<div id="card" itemscope itemtype="https://schema.org/Person"><span itemprop="name">試験 太郎</span></div>
<div id="big" data-state="{BIG}" data-small="keep" title="{BIG}">大きな属性</div>
<svg id="icon" viewBox="0 0 24 24"><path d="M0 0h24v24H0z"></path></svg>
<noscript id="noscript">JavaScript を有効にしてください</noscript>
<template id="template"><p>SECRET-template</p></template>
<iframe id="iframe" src="about:blank"></iframe>
<object id="object"></object>
<embed id="embed">
<canvas id="canvas"></canvas>
<video id="video"></video>
<audio id="audio"></audio>
<form id="form" action="/goen-test/search" onsubmit="return false">
  <input type="hidden" id="csrf" name="csrf" value="SECRET-csrf-token">
  <input type="text" id="query" name="q" value="検索">
  <button id="button" type="button" onmouseover="x()">ボタン</button>
</form>
<div id="dynamic"></div>
</main>
<script>document.getElementById('dynamic').textContent = 'added by the page script';</script>
</body></html>
"""

REMOVED_TAGS = ["style", "noscript", "template", "iframe", "object", "embed", "canvas", "video",
                "audio", "svg"]
NOT_SHOWN = ["gone-hidden-attribute", "gone-inline-none", "gone-child", "gone-css-none",
             "gone-invisible"]
DROPPED_ATTRIBUTES = ["style", "srcset", "sizes", "nonce", "integrity"]

INJECT = """async (tabId) => {
    const [frame] = await chrome.scripting.executeScript(
        {target: {tabId}, files: ['content/serialize.js']});
    return frame.result;
}"""


@pytest.fixture(scope="module")
def trimmed(module_browser, local_sites):
    """(live page, its outerHTML before, the first capture, the second capture): once for the
    module, as the serialiser needs no companion and the checks only read."""
    ext = module_browser
    ext.reset()
    local_sites.add(URL, PAGE)
    page = ext.open(URL)
    page.wait_for_function("document.getElementById('dynamic').textContent !== ''")
    before = page.evaluate("document.documentElement.outerHTML")
    tab_id = ext.tab_id(page.url)
    first = ext.evaluate(INJECT, tab_id)
    second = ext.evaluate(INJECT, tab_id)
    return page, before, first, second


def parse(html: str):
    return lxml.html.document_fromstring(html.encode("utf-8"),
                                         parser=lxml.html.HTMLParser(encoding="utf-8"))


def test_the_payload(trimmed):
    page, _, capture, _ = trimmed
    assert set(capture) >= {"url", "title", "html", "captured_at"}
    assert capture["url"] == page.url == URL
    assert capture["title"] == "トリミング試験 | Goen"
    assert re.match(r"(?i)\s*<!DOCTYPE html>", capture["html"]), capture["html"][:80]
    # local time with its UTC offset; the browser runs in Asia/Tokyo
    stamp = capture["captured_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", stamp), stamp
    assert stamp.endswith("+09:00"), stamp
    taken = datetime.fromisoformat(stamp)
    assert abs(taken - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_rule_1_scripts_removed_except_json_ld(trimmed):
    doc = parse(trimmed[2]["html"])
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text)["name"] == "試験 太郎"
    assert "pageScriptRan" not in trimmed[2]["html"]


def test_rule_2_non_content_elements_removed(trimmed):
    html = trimmed[2]["html"]
    doc = parse(html)
    for tag in REMOVED_TAGS:
        assert doc.xpath(f"//{tag}") == [], tag
    rels = [link.get("rel") for link in doc.xpath("//link")]
    assert sorted(rels) == ["canonical", "me"], rels
    assert doc.xpath("//input[@type='hidden']") == [] and "SECRET-csrf-token" not in html
    assert doc.xpath("//input[@id='query']"), "a visible input is content: kept"
    assert "SECRET-template" not in html


def test_rule_3_elements_not_shown_removed_screen_reader_text_kept(trimmed):
    html = trimmed[2]["html"]
    doc = parse(html)
    for element_id in NOT_SHOWN:
        assert doc.xpath(f"//*[@id='{element_id}']") == [], element_id
    assert "SECRET" not in html
    assert doc.xpath("//*[@id='kept-aria-hidden'][@aria-hidden='true']")
    assert doc.xpath("//*[@id='kept-visually-hidden']")[0].text == "試験 太郎 (screen reader)"


def test_rule_4_comments_removed(trimmed):
    html = trimmed[2]["html"]
    assert "<!--" not in html and "a comment that must not be sent" not in html


def test_rule_5_attributes(trimmed):
    doc = parse(trimmed[2]["html"])
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    for name in DROPPED_ATTRIBUTES:
        assert doc.xpath(f"//@{name}") == [], name
    assert max(len(value) for value in doc.xpath("//@*")) <= 2000
    big = doc.xpath("//*[@id='big']")[0]
    assert big.get("data-state") is None and big.get("title") is None
    assert big.get("data-small") == "keep" and big.text == "大きな属性"


def test_what_is_kept(trimmed):
    doc = parse(trimmed[2]["html"])
    root = doc.getroottree().getroot()
    assert root.get("lang") == "ja" and root.get("dir") == "ltr"
    assert doc.xpath("//meta[@property='og:title']/@content") == ["試験 太郎"]
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://www.linkedin.com/in/trim-test/"]
    name = doc.xpath("//h1")[0]
    assert (name.get("id"), name.get("class"), name.get("data-testid")) == (
        "name", "text-heading-xlarge inline", "UserName")
    img = doc.xpath("//img")[0]
    assert (img.get("src"), img.get("alt"), img.get("title")) == (
        "/goen-test/avatar.png", "試験 太郎の写真", "写真")
    assert doc.xpath("//time/@datetime") == ["2026-11-25T10:00:00Z"]
    link = doc.xpath("//a[@id='link']")[0]
    assert (link.get("href"), link.get("rel"), link.get("aria-label"), link.get("lang"),
            link.get("dir")) == ("https://x.com/trim_test", "me noopener", "X のプロフィール",
                                 "en", "ltr")
    assert doc.xpath("//main/@role") == ["main"]
    card = doc.xpath("//*[@id='card']")[0]
    assert card.get("itemscope") is not None
    assert card.get("itemtype") == "https://schema.org/Person"
    assert doc.xpath("//*[@itemprop='name']/text()") == ["試験 太郎"]
    # the live DOM is what is serialised, page scripts' work included
    assert doc.xpath("//*[@id='dynamic']/text()") == ["added by the page script"]


def test_the_live_page_is_not_changed(trimmed):
    page, before, _, _ = trimmed
    assert page.evaluate("document.documentElement.outerHTML") == before
    assert page.locator("script").count() == 4
    assert page.locator("#gone-hidden-attribute").count() == 1
    assert page.get_attribute("#name", "style") == "color: red"
    assert page.locator("svg").count() == 1


def test_injecting_twice_works_and_gives_the_same_html(trimmed):
    _, _, first, second = trimmed
    assert second["html"] == first["html"]
    assert second["url"] == first["url"] and second["title"] == first["title"]
