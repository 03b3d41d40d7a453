// content/serialize.js, the very file the browser injects, run in jsdom: the trimming contract
// of docs/CAPTURE.md, the payload shape, and that the live page is left untouched. The
// end-to-end tests (tests/extension/) run it in real Chromium.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, it } from "node:test";
import { JSDOM } from "jsdom";

import { EXTENSION_DIR } from "./helpers/fake_companion.js";

const SOURCE = readFileSync(path.join(EXTENSION_DIR, "content/serialize.js"), "utf8");

function page(html, url = "https://www.linkedin.com/in/taro-yamada/") {
  return new JSDOM(html, { url, runScripts: "outside-only", pretendToBeVisual: true });
}

function serialize(dom) {
  return dom.window.eval(SOURCE);
}

function trimmed(dom) {
  const result = serialize(dom);
  return { result, doc: new JSDOM(result.html).window.document };
}

const SAMPLE = `<!DOCTYPE html>
<html lang="ja" onload="x()"><head>
  <title>山田 太郎 | LinkedIn</title>
  <meta charset="utf-8">
  <meta property="og:title" content="山田 太郎">
  <link rel="canonical" href="https://www.linkedin.com/in/taro-yamada/">
  <link rel="me" href="https://mastodon.social/@taro">
  <link rel="stylesheet" href="/a.css">
  <link rel="preload" href="/b.js" as="script">
  <link rel="prefetch" href="/c.js">
  <link rel="modulepreload" href="/d.js">
  <link rel="alternate stylesheet" href="/e.css">
  <style>.gone { display: none } .ghost { visibility: hidden } .collapsed .item { display: none }</style>
  <script>window.secret = 1</script>
  <script type="application/ld+json">{"@type": "Person", "name": "山田 太郎"}</script>
  <script type="module" src="/m.js"></script>
  <!-- a comment in the head -->
</head>
<body class="page" onclick="steal()">
  <main id="main" data-testid="profile" role="main" aria-label="プロフィール" style="color: red">
    <h1 class="name" title="名前" lang="ja" dir="ltr">山田 太郎</h1>
    <span class="visually-hidden">Screen reader text</span>
    <span aria-hidden="true">見える文</span>
    <time datetime="2026-11-25T10:00:00Z">昨日</time>
    <a href="https://x.com/taro" rel="me" onmouseover="bad()">X</a>
    <img src="https://media.example/taro.jpg" alt="山田 太郎" srcset="a.jpg 1x, b.jpg 2x" sizes="100vw"
         data-big="${"x".repeat(2001)}" data-ok="${"y".repeat(2000)}">
    <div itemscope itemtype="https://schema.org/Person"><meta itemprop="name" content="山田 太郎">
      <link itemprop="url" href="https://example.com/taro"></div>
    <script type="application/ld+json; charset=utf-8">{"@type": "ProfilePage"}</script>
    <script nonce="abc" integrity="sha256-x">alert(1)</script>
    <noscript>enable js</noscript><template><p>tpl</p></template>
    <iframe src="https://ads.example/"></iframe><object data="x.swf"></object><embed src="y">
    <canvas></canvas><video src="v.mp4"></video><audio src="a.mp3"></audio>
    <svg viewBox="0 0 1 1"><path d="M0 0"/></svg>
    <input type="hidden" name="csrf" value="secret-csrf"><input type="text" name="q" value="visible">
    <div hidden>hidden attribute</div>
    <div class="gone">display none from a stylesheet</div>
    <div style="display:none">display none inline</div>
    <div class="ghost">visibility hidden</div>
    <ul class="collapsed"><li class="item">hidden by an ancestor rule</li></ul>
    <!-- a comment in the body -->
    <p>Kept <!-- inline comment --> text</p>
  </main>
</body></html>`;

describe("serialize.js: the payload", () => {
  it("returns {url, title, html, captured_at} with the doctype", () => {
    const { result } = trimmed(page(SAMPLE));
    assert.deepEqual(Object.keys(result).sort(), ["captured_at", "html", "title", "url"]);
    assert.equal(result.url, "https://www.linkedin.com/in/taro-yamada/");
    assert.equal(result.title, "山田 太郎 | LinkedIn");
    assert.ok(result.html.startsWith("<!DOCTYPE html>\n<html"));
    assert.match(result.captured_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });

  it("can be injected twice into the same page", () => {
    const dom = page(SAMPLE);
    const first = serialize(dom);
    const second = serialize(dom);
    assert.equal(second.html, first.html);
  });

  it("never changes the live page", () => {
    const dom = page(SAMPLE);
    const { document, MutationObserver } = dom.window;
    const before = document.documentElement.outerHTML;
    const mutations = [];
    new MutationObserver((list) => mutations.push(...list)).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
    serialize(dom);
    assert.equal(document.documentElement.outerHTML, before);
    return new Promise((resolve) => setTimeout(() => {
      assert.deepEqual(mutations, []);
      resolve();
    }, 10));
  });

  it("runs no page code on its copy (custom elements are not upgraded)", () => {
    const dom = page(`<!DOCTYPE html><html><body><x-card>hi</x-card></body></html>`);
    dom.window.eval(`window.constructed = 0;
      customElements.define("x-card", class extends HTMLElement {
        constructor() { super(); window.constructed += 1; } });`);
    const before = dom.window.constructed;
    const { doc } = trimmed(dom);
    assert.equal(dom.window.constructed, before);
    assert.equal(doc.querySelector("x-card").textContent, "hi");
  });
});

describe("serialize.js: trimming (docs/CAPTURE.md)", () => {
  const { doc, result } = trimmed(page(SAMPLE));
  const html = result.html;

  it("removes scripts but keeps JSON-LD", () => {
    assert.ok(!html.includes("window.secret"));
    assert.ok(!html.includes("alert(1)"));
    assert.equal(doc.querySelector('script[type="module"]'), null);
    const jsonLd = [...doc.querySelectorAll("script")].map((s) => s.getAttribute("type"));
    assert.deepEqual(jsonLd, ["application/ld+json", "application/ld+json; charset=utf-8"]);
  });

  it("removes styles, stylesheet and preload links, and embedded or media elements", () => {
    for (const selector of ["style", "noscript", "template", "iframe", "object", "embed",
      "canvas", "video", "audio", "svg", 'input[type="hidden"]']) {
      assert.equal(doc.querySelector(selector), null, selector);
    }
    const rels = [...doc.querySelectorAll("link")].map((l) => l.getAttribute("rel"));
    assert.deepEqual(rels, ["canonical", "me", null]);
    assert.ok(!html.includes("secret-csrf"));
    assert.equal(doc.querySelector('input[name="q"]').getAttribute("value"), "visible");
  });

  it("removes what is not shown, judged on the live page", () => {
    for (const text of ["hidden attribute", "display none from a stylesheet", "display none inline",
      "visibility hidden", "hidden by an ancestor rule"]) {
      assert.ok(!html.includes(text), text);
    }
    assert.ok(doc.querySelector("ul.collapsed"), "the shown parent stays");
  });

  it("keeps screen-reader text, aria-hidden text and microdata", () => {
    assert.ok(html.includes("Screen reader text"));
    assert.ok(html.includes("見える文"));
    assert.equal(doc.querySelector('meta[itemprop="name"]').getAttribute("content"), "山田 太郎");
    assert.ok(doc.querySelector('link[itemprop="url"]'));
  });

  it("keeps the head's meta, canonical and rel=me, and the title", () => {
    assert.equal(doc.querySelector('meta[property="og:title"]').getAttribute("content"), "山田 太郎");
    assert.ok(doc.querySelector('link[rel="canonical"]'));
    assert.ok(doc.querySelector('link[rel="me"]'));
    assert.equal(doc.title, "山田 太郎 | LinkedIn");
  });

  it("removes comments everywhere", () => {
    assert.ok(!html.includes("<!--"));
    assert.equal(doc.querySelector("p").textContent, "Kept  text");
  });

  it("removes handlers, style, srcset, sizes, nonce, integrity and long values", () => {
    assert.equal(doc.documentElement.getAttribute("onload"), null);
    assert.equal(doc.body.getAttribute("onclick"), null);
    assert.equal(doc.querySelector("a").getAttribute("onmouseover"), null);
    assert.equal(doc.querySelector("main").getAttribute("style"), null);
    const img = doc.querySelector("img");
    assert.equal(img.getAttribute("srcset"), null);
    assert.equal(img.getAttribute("sizes"), null);
    assert.equal(img.getAttribute("data-big"), null, "over 2,000 characters");
    assert.equal(img.getAttribute("data-ok").length, 2000, "2,000 is still kept");
    assert.ok(!/\snonce=|\sintegrity=/.test(html));
  });

  it("keeps the attributes adapters read", () => {
    const main = doc.querySelector("main");
    assert.equal(main.id, "main");
    assert.equal(main.getAttribute("data-testid"), "profile");
    assert.equal(main.getAttribute("role"), "main");
    assert.equal(main.getAttribute("aria-label"), "プロフィール");
    const h1 = doc.querySelector("h1");
    assert.deepEqual([h1.className, h1.title, h1.lang, h1.dir], ["name", "名前", "ja", "ltr"]);
    assert.equal(doc.querySelector("time").getAttribute("datetime"), "2026-11-25T10:00:00Z");
    assert.equal(doc.querySelector("a").getAttribute("href"), "https://x.com/taro");
    assert.equal(doc.querySelector("a").getAttribute("rel"), "me");
    const img = doc.querySelector("img");
    assert.equal(img.getAttribute("src"), "https://media.example/taro.jpg");
    assert.equal(img.getAttribute("alt"), "山田 太郎");
    const person = doc.querySelector("[itemscope]");
    assert.equal(person.getAttribute("itemtype"), "https://schema.org/Person");
    assert.equal(doc.documentElement.lang, "ja");
  });
});

describe("serialize.js: captured_at is local time with its offset", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  const instant = Date.UTC(2026, 10, 26, 0, 30, 0, 0); // 2026-11-26T00:30:00.000Z
  const cases = [
    ["Asia/Tokyo", "2026-11-26T09:30:00.000+09:00"],
    ["UTC", "2026-11-26T00:30:00.000+00:00"],
    ["America/New_York", "2026-11-25T19:30:00.000-05:00"],
    ["Asia/Kathmandu", "2026-11-26T06:15:00.000+05:45"],
    ["America/St_Johns", "2026-11-25T21:00:00.000-03:30"],
  ];
  for (const [tz, expected] of cases) {
    it(`${tz}: ${expected}`, () => {
      process.env.TZ = tz;
      const dom = page("<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>");
      dom.window.eval(`Date = class extends Date {
        constructor(...args) { super(...(args.length ? args : [${instant}])); } };`);
      const { captured_at: capturedAt } = serialize(dom);
      assert.equal(capturedAt, expected);
      assert.equal(Date.parse(capturedAt), instant);
    });
  }
});

describe("serialize.js: size", () => {
  it("says too_large instead of returning a page over 8 MiB characters", () => {
    const dom = page("<!DOCTYPE html><html><body><p></p></body></html>");
    dom.window.document.querySelector("p").textContent = "a".repeat(8 * 1024 * 1024);
    const result = serialize(dom);
    assert.equal(result.html, null);
    assert.equal(result.error.code, "too_large");
    assert.ok(result.error.chars > 8 * 1024 * 1024);
    assert.equal(result.url, "https://www.linkedin.com/in/taro-yamada/");
  });
});
