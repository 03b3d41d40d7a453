// The service worker's message table with a fake chrome and a fake companion behind fetch.

import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, it } from "node:test";

import { createRouter, messageTable, senderCheck } from "../background/router.js";
import { createServices } from "../background/services.js";
import { MSG } from "../lib/messages.js";
import { POPUP_SENDER, createFakeChrome } from "./helpers/fake_chrome.js";
import { EXTENSION_ORIGIN, createFakeCompanion, errorJson } from "./helpers/fake_companion.js";

const PAIRED = { companion: { port: 47290, token: "the-token" } };

function setup({ tabs = {}, local = PAIRED, native = null, inject = null, companion } = {}) {
  const fake = companion ?? createFakeCompanion();
  const api = createFakeChrome({ tabs, local, native, inject });
  const services = createServices({ api, fetchImpl: fake.fetch, crypto: webcrypto });
  const handle = createRouter(messageTable(services), { isTrusted: senderCheck(api.runtime) });
  return { api, companion: fake, services, send: (message) => handle(message, POPUP_SENDER) };
}

// What executeScript returns for content/serialize.js.
function serialized(url, html = "<!DOCTYPE html>\n<html><body>taro</body></html>") {
  return async () => [{ frameId: 0, result: {
    url, title: "t", html, captured_at: "2026-11-26T09:30:00.000+09:00" } }];
}

describe("router", () => {
  it("answers unknown types and untrusted senders with bad_request", async () => {
    const { api, services } = setup();
    const handle = createRouter(messageTable(services), { isTrusted: senderCheck(api.runtime) });
    assert.deepEqual((await handle({ type: "nope" }, POPUP_SENDER)).error.code, "bad_request");
    assert.deepEqual((await handle({ type: "toString" }, POPUP_SENDER)).error.code, "bad_request");
    const page = { id: api.runtime.id, url: "https://evil.example/", tab: { id: 1 } };
    const answer = await handle({ type: MSG.SETTINGS_GET }, page);
    assert.equal(answer.ok, false);
    assert.equal((await handle({ type: MSG.SETTINGS_GET }, { id: "other", url: `${EXTENSION_ORIGIN}x` })).ok, false);
  });

  it("every documented message type has a handler", () => {
    const { services } = setup();
    const table = messageTable(services);
    for (const type of ["popup.state", "capture.tab", "contact.note", "companion.status",
      "pair.native", "pair.manual", "settings.get", "settings.set"]) {
      assert.equal(typeof table[type], "function", type);
    }
  });

  it("turns thrown errors into {ok: false, error: {code, message}}", async () => {
    const { send } = setup();
    const answer = await send({ type: MSG.POPUP_STATE });
    assert.deepEqual(Object.keys(answer).sort(), ["error", "ok"]);
    assert.equal(answer.error.code, "bad_request");
    assert.equal(typeof answer.error.message, "string");
  });
});

describe("popup.state", () => {
  it("not_paired when nothing is stored, without asking the companion", async () => {
    const { send, companion } = setup({ local: {}, tabs: { 1: { url: "https://x.com/taro" } } });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.ok, true);
    assert.equal(answer.state, "not_paired");
    assert.deepEqual(companion.requests, []);
  });

  it("offline when the companion is not running", async () => {
    const { send } = setup({
      companion: createFakeCompanion({ running: false }), tabs: { 1: { url: "https://x.com/taro" } },
    });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.state, "offline");
  });

  it("unsupported for pages no adapter reads", async () => {
    const { send } = setup({ tabs: { 1: { url: "chrome://newtab/" }, 2: {} } });
    assert.equal((await send({ type: MSG.POPUP_STATE, tabId: 1 })).state, "unsupported");
    assert.equal((await send({ type: MSG.POPUP_STATE, tabId: 2 })).state, "unsupported");
  });

  it("known, with the contact, for a saved person", async () => {
    const { send, companion } = setup({ tabs: { 1: { url: "https://x.com/taro" } } });
    companion.addContact("https://x.com/taro", { tags: ["PyCon"] });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.state, "known");
    assert.equal(answer.contact.display_name, "山田 太郎");
    assert.deepEqual(answer.page, { adapter: "x", label: "X (Twitter) profiles and DM conversations", kind: "profile" });
    assert.equal(answer.lookup.known, true);
    assert.equal(answer.url, "https://x.com/taro");
  });

  it("unknown for a profile Goen does not know, thread for a conversation", async () => {
    const { send } = setup({ tabs: {
      1: { url: "https://x.com/someone" }, 2: { url: "https://x.com/messages/1-2" } } });
    assert.equal((await send({ type: MSG.POPUP_STATE, tabId: 1 })).state, "unknown");
    const thread = await send({ type: MSG.POPUP_STATE, tabId: 2 });
    assert.equal(thread.state, "thread");
    assert.equal(thread.page.kind, "thread");
  });

  it("an impostor on the port is not_paired (pair again), and gets no token", async () => {
    const companion = createFakeCompanion({ proof: () => "f".repeat(64) });
    const { send } = setup({ companion, tabs: { 1: { url: "https://x.com/taro" } } });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.state, "not_paired");
    assert.equal(answer.error.code, "impostor");
    assert.deepEqual(companion.tokenRequests(), []);
  });
});

describe("capture.tab", () => {
  it("injects the serialiser and posts its payload", async () => {
    const { send, companion, api } = setup({
      tabs: { 1: { url: "https://x.com/messages/1-2" } }, inject: serialized("https://x.com/messages/1-2"),
    });
    const answer = await send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "auto" });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    assert.equal(answer.capture.new_interactions, 3);
    assert.deepEqual(api.calls.injected[0], { target: { tabId: 1 }, files: ["content/serialize.js"] });
    assert.deepEqual(companion.captures[0], {
      url: "https://x.com/messages/1-2", kind: "thread", html: "<!DOCTYPE html>\n<html><body>taro</body></html>",
      title: "t", captured_at: "2026-11-26T09:30:00.000+09:00",
    });
    const again = await send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "thread" });
    assert.equal(again.capture.new_interactions, 0);
  });

  it("passes the popup's kind through", async () => {
    const { send, companion } = setup({
      tabs: { 1: { url: "https://x.com/taro" } }, inject: serialized("https://x.com/taro"),
    });
    const answer = await send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "profile" });
    assert.equal(answer.capture.contact.display_name, "山田 太郎");
    assert.equal(companion.captures[0].kind, "profile");
  });

  it("not_injectable where the browser refuses, too_large for huge pages, and nothing is sent", async () => {
    const refused = setup({ tabs: { 1: { url: "https://x.com/taro" } } });
    assert.equal((await refused.send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "auto" })).error.code, "not_injectable");
    const huge = setup({ tabs: { 1: { url: "https://x.com/taro" } }, inject: async () => [{ result: {
      url: "https://x.com/taro", title: "t", html: null, captured_at: "x",
      error: { code: "too_large", chars: 9000000 } } }] });
    assert.equal((await huge.send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "auto" })).error.code, "too_large");
    assert.deepEqual(refused.companion.captures, []);
    assert.deepEqual(huge.companion.captures, []);
  });

  it("unsupported_page for browser pages; not_paired before anything else", async () => {
    const { send } = setup({ tabs: { 1: { url: "chrome://settings/" } }, inject: serialized("chrome://settings/") });
    assert.equal((await send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "auto" })).error.code, "unsupported_page");
    const unpaired = setup({ local: {}, tabs: { 1: { url: "https://x.com/taro" } }, inject: serialized("https://x.com/taro") });
    assert.equal((await unpaired.send({ type: MSG.CAPTURE_TAB, tabId: 1, kind: "auto" })).error.code, "not_paired");
    assert.deepEqual(unpaired.api.calls.injected, []);
  });
});

describe("contact.note and webview.open", () => {
  it("saves a note", async () => {
    const { send, companion } = setup();
    const contact = companion.addContact("https://x.com/taro");
    const answer = await send({ type: MSG.CONTACT_NOTE, contactId: contact.id, body: " 来月会う " });
    assert.equal(answer.note.body, "来月会う");
    assert.equal((await send({ type: MSG.CONTACT_NOTE, contactId: contact.id, body: "  " })).error.code, "bad_request");
    assert.equal((await send({ type: MSG.CONTACT_NOTE, contactId: 999, body: "x" })).error.code, "bad_request");
  });

  it("opens the contact on the companion when there is no native host", async () => {
    const { send, api } = setup();
    const answer = await send({ type: MSG.WEBVIEW_OPEN, contactId: 12 });
    assert.equal(answer.url, "http://127.0.0.1:47290/contacts/12");
    assert.deepEqual(api.calls.created, [{ url: "http://127.0.0.1:47290/contacts/12" }]);
  });

  it("opens the native host's URL when it answers one, but only a loopback one", async () => {
    const good = setup({ native: async () => ({ type: "open", url: "http://127.0.0.1:47290/launch?t=abc" }) });
    assert.equal((await good.send({ type: MSG.WEBVIEW_OPEN, contactId: 3 })).url, "http://127.0.0.1:47290/launch?t=abc");
    assert.deepEqual(good.api.calls.native.at(-1).message, { type: "open", path: "/contacts/3" });
    const bad = setup({ native: async () => ({ type: "open", url: "https://evil.example/" }) });
    assert.equal((await bad.send({ type: MSG.WEBVIEW_OPEN, contactId: 3 })).url, "http://127.0.0.1:47290/contacts/3");
  });
});

describe("pairing", () => {
  it("pair.native stores what the native host answers", async () => {
    const { send, api } = setup({ local: {}, native: async () => ({ type: "pair", port: 47291, token: "native-token" }) });
    const answer = await send({ type: MSG.PAIR_NATIVE });
    assert.deepEqual(answer, { ok: true, port: 47291 });
    assert.deepEqual(api.calls.native[0], { host: "jp.goen.companion", message: { type: "pair" } });
    assert.deepEqual(api.storage.local.data.companion, { port: 47291, token: "native-token" });
    assert.equal(api.storage.sync, null);
  });

  it("pair.native says native_host_missing when no host is installed, pairing_failed on an error reply", async () => {
    const missing = setup({ local: {} });
    assert.equal((await missing.send({ type: MSG.PAIR_NATIVE })).error.code, "native_host_missing");
    const failing = setup({ local: {}, native: async () => ({ type: "error", code: "token_unavailable", message: "no keyring" }) });
    assert.equal((await failing.send({ type: MSG.PAIR_NATIVE })).error.code, "pairing_failed");
    assert.equal(failing.api.storage.local.data.companion, undefined);
  });

  it("pair.manual checks the token against the companion before keeping it", async () => {
    const { send, api, companion } = setup({ local: {} });
    const wrong = await send({ type: MSG.PAIR_MANUAL, port: 47290, token: "wrong" });
    assert.equal(wrong.error.code, "unauthorized");
    assert.equal(api.storage.local.data.companion, undefined);
    assert.deepEqual(companion.tokenRequests(), [], "a wrong token fails the handshake and is never sent");
    const right = await send({ type: MSG.PAIR_MANUAL, port: "47290", token: " the-token \n" });
    assert.deepEqual(right, { ok: true, port: 47290 });
    assert.deepEqual(api.storage.local.data.companion, { port: 47290, token: "the-token" });
  });

  it("pair.manual: offline when nothing listens; bad_request for a bad port", async () => {
    const { send } = setup({ local: {}, companion: createFakeCompanion({ running: false }) });
    assert.equal((await send({ type: MSG.PAIR_MANUAL, port: 47290, token: "t" })).error.code, "offline");
    assert.equal((await send({ type: MSG.PAIR_MANUAL, port: "http", token: "t" })).error.code, "bad_request");
    assert.equal((await send({ type: MSG.PAIR_MANUAL, port: 70000, token: "t" })).error.code, "bad_request");
  });

  it("a 401 re-pairs over native messaging and retries once", async () => {
    const companion = createFakeCompanion({ token: "fresh" });
    const { send, api } = setup({
      companion, local: { companion: { port: 47290, token: "stale" } },
      native: async () => ({ type: "pair", port: 47290, token: "fresh" }),
      tabs: { 1: { url: "https://x.com/taro" } },
    });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.state, "unknown");
    assert.equal(api.storage.local.data.companion.token, "fresh");
  });
});

describe("companion.status and settings", () => {
  it("reports running, version and port", async () => {
    const { send } = setup();
    assert.deepEqual(await send({ type: MSG.COMPANION_STATUS }),
      { ok: true, paired: true, running: true, version: "0.1.0", port: 47290 });
  });

  it("reports not paired, and not running", async () => {
    assert.deepEqual(await setup({ local: {} }).send({ type: MSG.COMPANION_STATUS }),
      { ok: true, paired: false, running: false, version: null, port: null });
    const down = await setup({ companion: createFakeCompanion({ running: false }) }).send({ type: MSG.COMPANION_STATUS });
    assert.equal(down.running, false);
    assert.equal(down.problem.code, "offline");
  });

  it("reports a companion error as not running with the problem", async () => {
    const companion = createFakeCompanion();
    companion.routes["GET /api/v1/status"] = () => errorJson(500, "internal_error", "boom");
    const answer = await setup({ companion }).send({ type: MSG.COMPANION_STATUS });
    assert.equal(answer.running, false);
    assert.equal(answer.problem.code, "server_error");
  });

  it("gets and sets the language, and retitles the menu", async () => {
    const { send, api, services } = setup();
    await services.menus.install();
    assert.equal(api.calls.menus[0].title, "Save to Goen");
    assert.deepEqual(await send({ type: MSG.SETTINGS_GET }), { ok: true, language: "auto" });
    assert.deepEqual(await send({ type: MSG.SETTINGS_SET, language: "ja" }), { ok: true, language: "ja" });
    assert.equal(api.storage.local.data.language, "ja");
    assert.equal(api.calls.menus[0].title, "Goen に保存");
    assert.equal((await send({ type: MSG.SETTINGS_SET, language: "fr" })).error.code, "bad_request");
  });
});

describe("popup.state with a refused pairing", () => {
  it("a token the companion does not hold is not_paired, with the reason, and is never sent", async () => {
    const { send, companion } = setup({
      local: { companion: { port: 47290, token: "not-the-token" } }, tabs: { 1: { url: "https://x.com/taro" } },
    });
    const answer = await send({ type: MSG.POPUP_STATE, tabId: 1 });
    assert.equal(answer.state, "not_paired");
    assert.equal(answer.error.code, "impostor");
    assert.deepEqual(companion.tokenRequests(), []);
  });
});
