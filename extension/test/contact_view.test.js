// The popup's known-person view, filled in jsdom from popup/popup.html: optional fields appear
// only when the companion sends them, and page data is only ever text.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { JSDOM } from "jsdom";

import { renderContact } from "../popup/contact_view.js";
import { EXTENSION_DIR } from "./helpers/fake_companion.js";

const HTML = readFileSync(path.join(EXTENSION_DIR, "popup/popup.html"), "utf8");
const en = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "_locales/en/messages.json"), "utf8"));
const NOW = Date.UTC(2026, 10, 26, 3, 0);

let dom;
const t = (key, subs = []) => en[key].message.replace(/\$([A-Z_]+)\$/g, (_, name) => {
  const placeholder = en[key].placeholders[name.toLowerCase()].content;
  return subs[Number(placeholder.slice(1)) - 1];
});
const $ = (testid) => dom.window.document.querySelector(`[data-testid="${testid}"]`);

before(() => { dom = new JSDOM(HTML); globalThis.document = dom.window.document; });
beforeEach(() => { dom = new JSDOM(HTML); globalThis.document = dom.window.document; });
after(() => { delete globalThis.document; });

const FULL = {
  id: 12, display_name: "山田 太郎", reading: "やまだ たろう", headline: "エンジニア",
  organisation: "株式会社サンプル", avatar_url: "https://media.example/taro.jpg",
  last_interaction: { occurred_at: new Date(NOW - 3 * 86400000).toISOString(), platform: "x",
    direction: "in", kind: "message", snippet: "来月飲みに行きましょう" },
  tags: ["PyCon", "大阪"],
  open_promises: [{ text: "資料を送る", whose: "mine", due: "2026-12-01" },
    { text: "紹介してくれる", whose: "theirs", due: null }],
  next_followup: { key: "promise:41", reason: "promise_due", action: "keep_promise",
    why: { ja: "11月20日に「資料を送ります」と約束しました。", en: "On 20 Nov you promised “資料を送ります”." },
    draft: { lang: "ja", text: "山田さん\n11月20日にお約束した資料をお送りします。" }, missing: null },
};

describe("renderContact", () => {
  it("shows everything the companion sends", () => {
    renderContact(FULL, { t, language: "en", now: NOW });
    assert.equal($("contact-name").textContent, "山田 太郎");
    assert.equal($("contact-reading").textContent, "やまだ たろう");
    assert.equal($("contact-headline").textContent, "エンジニア");
    assert.equal($("contact-photo").getAttribute("src"), "https://media.example/taro.jpg");
    assert.equal($("contact-photo").hidden, false);
    const last = $("last-interaction").textContent;
    assert.match(last, /3 days ago · X · They wrote last/);
    assert.match(last, /来月飲みに行きましょう/);
    assert.deepEqual([...$("tags").querySelectorAll("li")].map((li) => li.textContent), ["PyCon", "大阪"]);
    assert.equal($("promises").hidden, false);
    const promises = [...$("promises").querySelectorAll("li")].map((li) => li.textContent);
    assert.equal(promises.length, 2);
    assert.match(promises[0], /^資料を送る \(You, by Dec 1, 2026\)$/);
    assert.equal(promises[1], "紹介してくれる (They)");
    assert.equal($("next-followup").hidden, false);
    assert.equal($("followup-why").textContent, "On 20 Nov you promised “資料を送ります”.");
    assert.equal($("followup-draft").textContent, "山田さん\n11月20日にお約束した資料をお送りします。");
    assert.equal($("followup-draft").lang, "ja");
    assert.equal($("followup-copy").hidden, false);
    assert.equal($("followup-missing").hidden, true);
  });

  it("shows why now in the popup's language and what is missing when there is no draft", () => {
    const missing = { ja: "何を話したかメモを残してください。", en: "Add a note about what you talked about." };
    renderContact({ ...FULL, next_followup: { ...FULL.next_followup, draft: null, missing } },
      { t, language: "ja", now: NOW });
    assert.equal($("followup-why").textContent, "11月20日に「資料を送ります」と約束しました。");
    assert.equal($("followup-draft").hidden, true);
    assert.equal($("followup-copy").hidden, true);
    assert.equal($("followup-missing").textContent, missing.ja);
  });

  it("hides what the companion does not send", () => {
    renderContact({ id: 1, display_name: "taro", last_interaction: null, tags: [] },
      { t, language: "en", now: NOW });
    for (const id of ["promises", "next-followup", "tags", "contact-photo", "contact-reading",
      "contact-headline"]) {
      assert.equal($(id).hidden, true, id);
    }
    assert.match($("last-interaction").textContent, /No messages saved yet/);
  });

  it("writes hostile page data as text and refuses non-web image URLs", () => {
    const evil = '<img src=x onerror="fetch(\'/__beacon\')">';
    renderContact({
      ...FULL, display_name: `<script>fetch('/__beacon')</script>`, headline: evil, tags: [evil],
      avatar_url: "javascript:alert(1)",
      last_interaction: { ...FULL.last_interaction, snippet: evil },
      open_promises: [{ text: evil, whose: evil, due: evil }],
      next_followup: { why: { en: evil, ja: evil }, draft: { lang: evil, text: evil },
        missing: { en: evil } },
    }, { t, language: "en", now: NOW });
    const main = dom.window.document.querySelector("main");
    assert.equal(main.querySelectorAll("script").length, 0);
    assert.equal(main.querySelectorAll("img").length, 1, "only the popup's own photo element");
    assert.equal($("contact-photo").hasAttribute("src"), false);
    assert.equal($("contact-photo").hidden, true);
    assert.equal($("contact-name").textContent, `<script>fetch('/__beacon')</script>`);
    assert.equal($("contact-headline").textContent, evil);
  });
});
