import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { JSDOM } from "jsdom";

import {
  applyI18n, createI18n, formatMessage, loadBundledMessages, resolveLanguage,
} from "../lib/i18n.js";
import { EXTENSION_DIR, createFakeCompanion } from "./helpers/fake_companion.js";

const loadLocale = async (lang) => JSON.parse(
  await readFile(path.join(EXTENSION_DIR, `_locales/${lang}/messages.json`), "utf8"));

describe("formatMessage (chrome.i18n's substitution rules)", () => {
  it("named placeholders point at $1..$9", () => {
    const entry = {
      message: "Running: Goen $VERSION$ on port $PORT$.",
      placeholders: { version: { content: "$1" }, port: { content: "$2" } },
    };
    assert.equal(formatMessage(entry, ["0.1.0", "47290"]), "Running: Goen 0.1.0 on port 47290.");
  });

  it("placeholder names are case-insensitive", () => {
    const entry = { message: "$Count$ saved", placeholders: { COUNT: { content: "$1" } } };
    assert.equal(formatMessage(entry, ["3"]), "3 saved");
  });

  it("positional $1 works directly, a single string is one substitution, $$ is a dollar", () => {
    assert.equal(formatMessage({ message: "a $1 b $2" }, ["x", "y"]), "a x b y");
    assert.equal(formatMessage({ message: "n=$1" }, "7"), "n=7");
    assert.equal(formatMessage({ message: "costs $$5" }), "costs $5");
    assert.equal(formatMessage({ message: "missing $1." }), "missing .");
  });

  it("does not substitute inside substituted values", () => {
    assert.equal(formatMessage({ message: "$1 and $2" }, ["$2", "b"]), "$2 and b");
  });

  it("placeholder content may be literal text", () => {
    const entry = { message: "by $WHO$", placeholders: { who: { content: "Goen" } } };
    assert.equal(formatMessage(entry), "by Goen");
  });

  it("reads the real locale files the same way", async () => {
    const ja = await loadLocale("ja");
    const en = await loadLocale("en");
    assert.equal(formatMessage(ja.save_result_messages, ["3"]), "新しいメッセージを3件保存しました。");
    assert.equal(formatMessage(en.save_result_messages, ["3"]), "3 new messages saved.");
  });
});

describe("createI18n", () => {
  const chromeMessages = { hello: { message: "Hello from the browser" } };
  const getMessage = (key, subs) => formatMessage(chromeMessages[key], subs);

  it("auto uses chrome.i18n and the UI language", async () => {
    const i18n = await createI18n({ setting: "auto", getMessage, getUILanguage: () => "ja-JP",
      loadMessages: async () => { throw new Error("not loaded for auto"); } });
    assert.equal(i18n.language, "ja");
    assert.equal(i18n.t("hello"), "Hello from the browser");
  });

  it("an override loads _locales/<lang>/messages.json through fetch", async () => {
    const companion = createFakeCompanion();
    const runtime = { getURL: (p) => `chrome-extension://bddjgpkhpndbfbomeobifkpedemfoeno/${p}` };
    const i18n = await createI18n({
      setting: "ja", getMessage, getUILanguage: () => "en-US",
      loadMessages: loadBundledMessages(runtime, companion.fetch),
    });
    assert.equal(i18n.language, "ja");
    assert.equal(i18n.t("save_contact"), "連絡先を保存");
    assert.equal(i18n.t("pair_ok", ["47290"]), "ポート 47290 の Goen とペアリングしました。");
    assert.equal(i18n.t("hello"), "Hello from the browser", "falls back to chrome.i18n");
    assert.equal(i18n.t("nope"), "nope", "an unknown key shows itself, never nothing");
  });

  it("falls back to the browser when the file cannot be loaded", async () => {
    const i18n = await createI18n({ setting: "ja", getMessage, getUILanguage: () => "en",
      loadMessages: async () => { throw new Error("404"); } });
    assert.equal(i18n.language, "en");
    assert.equal(i18n.t("hello"), "Hello from the browser");
  });

  it("resolves languages", () => {
    assert.equal(resolveLanguage("auto", "ja"), "ja");
    assert.equal(resolveLanguage("auto", "fr-FR"), "en");
    assert.equal(resolveLanguage("en", "ja"), "en");
    assert.equal(resolveLanguage(undefined, undefined), "en");
  });
});

describe("applyI18n", () => {
  it("fills text, placeholders, titles and aria labels, and sets lang", () => {
    const dom = new JSDOM(`<!DOCTYPE html><html><body>
      <h1 data-i18n="a">x</h1><textarea data-i18n-placeholder="b"></textarea>
      <button data-i18n-title="c" data-i18n-aria-label="d"></button></body></html>`);
    const { document } = dom.window;
    applyI18n(document, (key) => `<${key}>`, "ja");
    assert.equal(document.querySelector("h1").textContent, "<a>");
    assert.equal(document.querySelector("h1").children.length, 0, "text, never markup");
    assert.equal(document.querySelector("textarea").placeholder, "<b>");
    assert.equal(document.querySelector("button").title, "<c>");
    assert.equal(document.querySelector("button").getAttribute("aria-label"), "<d>");
    assert.equal(document.documentElement.lang, "ja");
  });
});
