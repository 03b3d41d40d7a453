// The badge, the context menu, the shortcut and the service worker's listeners.

import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, it } from "node:test";

import { createServices } from "../background/services.js";
import { MENU_ID } from "../background/menus.js";
import { createFakeChrome } from "./helpers/fake_chrome.js";
import { createFakeCompanion } from "./helpers/fake_companion.js";

const PAIRED = { companion: { port: 47290, token: "the-token" } };
const NOW = Date.UTC(2026, 10, 26, 3, 0);

function setup({ tabs = {}, local = PAIRED, native = null, inject = null, companion } = {}) {
  const fake = companion ?? createFakeCompanion();
  const fetched = [];
  const fetchImpl = (url, init) => { fetched.push(String(url)); return fake.fetch(url, init); };
  const api = createFakeChrome({ tabs, local, native, inject });
  const services = createServices({ api, fetchImpl, crypto: webcrypto, now: () => NOW });
  return { api, companion: fake, services, fetched };
}

const lastBadge = (api, tabId) => api.calls.badge.filter((b) => b.tabId === tabId).at(-1)?.text;
const lastTitle = (api, tabId) => api.calls.titles.filter((b) => b.tabId === tabId).at(-1)?.title;

describe("badge", () => {
  it("shows the days since the last interaction for a known person", async () => {
    const { api, companion, services } = setup();
    companion.addContact("https://x.com/taro", {
      last_interaction: { occurred_at: new Date(NOW - 3 * 86400000).toISOString(), platform: "x",
        direction: "in", kind: "message", snippet: "来月飲みに行きましょう" },
    });
    await services.badge.updateForTab(1, "https://x.com/taro");
    assert.equal(lastBadge(api, 1), "3");
    assert.equal(lastTitle(api, 1), "Goen: 山田 太郎, last contact 3 days ago");
  });

  it("marks a known person without interactions", async () => {
    const { api, companion, services } = setup();
    companion.addContact("https://x.com/taro");
    await services.badge.updateForTab(1, "https://x.com/taro");
    assert.equal(lastBadge(api, 1), "✓");
  });

  it("clears for unknown people, conversations, other pages, no pairing and no companion", async () => {
    const known = "https://x.com/taro";
    const cases = [
      [{}, "https://x.com/nobody"],
      [{}, "https://x.com/messages/1-2"],
      [{}, "chrome://newtab/"],
      [{}, undefined],
      [{ local: {} }, known],
      [{ companion: createFakeCompanion({ running: false }) }, known],
    ];
    for (const [options, url] of cases) {
      const { api, companion, services } = setup(options);
      companion.addContact(known);
      await services.badge.updateForTab(7, url);
      assert.equal(lastBadge(api, 7), "", `${url} ${JSON.stringify(Object.keys(options))}`);
    }
  });

  it("asks nothing about conversation pages", async () => {
    const { companion, services } = setup();
    await services.badge.updateForTab(1, "https://x.com/messages/1-2");
    assert.ok(!companion.requests.some((r) => r.path === "/api/v1/lookup"));
  });

  it("a slow answer for an old page does not overwrite the newer one", async () => {
    const { api, companion, services } = setup();
    companion.addContact("https://x.com/taro");
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    companion.routes["GET /api/v1/lookup"] = async (request) => {
      if (request.query.get("url") === "https://x.com/taro") await gate;
      const id = companion.known.get(request.query.get("url"));
      return new Response(JSON.stringify({ known: Boolean(id), contact: id ? companion.contacts.get(id) : null }));
    };
    const first = services.badge.updateForTab(1, "https://x.com/taro");
    await services.badge.updateForTab(1, "https://x.com/nobody");
    release();
    await first;
    assert.equal(lastBadge(api, 1), "");
  });
});

describe("context menu and shortcut", () => {
  it("installs one 'Save to Goen' item for pages and links", async () => {
    const { api, services } = setup();
    await services.menus.install();
    await services.menus.install();
    assert.deepEqual(api.calls.menus, [{ id: MENU_ID, title: "Save to Goen", contexts: ["page", "link"] }]);
  });

  it("a link makes a contact from its URL and text, without fetching the linked page", async () => {
    const { api, companion, services, fetched } = setup({
      tabs: { 1: { url: "https://x.com/home" } },
      inject: async (details) => {
        assert.equal(typeof details.func, "function");
        assert.deepEqual(details.args, ["https://x.com/hanako"]);
        return [{ result: "佐藤 花子" }];
      },
    });
    await services.menus.onMenuClicked({ menuItemId: MENU_ID, linkUrl: "https://x.com/hanako",
      pageUrl: "https://x.com/home" }, { id: 1 });
    const post = companion.requests.find((r) => r.path === "/api/v1/contacts");
    assert.deepEqual(post.body, { url: "https://x.com/hanako", display_name: "佐藤 花子" });
    assert.ok(fetched.every((url) => url.startsWith("http://127.0.0.1:47290/")), fetched.join());
    assert.equal(lastBadge(api, 1), "✓");
    assert.equal(lastTitle(api, 1), "Saved 佐藤 花子 to Goen.");
    assert.deepEqual(companion.captures, []);
  });

  it("uses Firefox's linkText when there is one, and says when the person was known", async () => {
    const { api, companion, services } = setup();
    companion.addContact("https://x.com/hanako", { display_name: "佐藤 花子" });
    await services.menus.onMenuClicked({ menuItemId: MENU_ID, linkUrl: "https://x.com/hanako",
      linkText: "Hanako" }, { id: 1 });
    assert.deepEqual(api.calls.injected, []);
    assert.equal(lastTitle(api, 1), "佐藤 花子 is already in Goen.");
  });

  it("a page click captures the page and the badge shows the result", async () => {
    const { api, companion, services } = setup({
      tabs: { 1: { url: "https://x.com/messages/1-2" } },
      inject: async () => [{ result: { url: "https://x.com/messages/1-2", title: "DM",
        html: "<!DOCTYPE html>\n<html></html>", captured_at: "2026-11-26T12:00:00.000+09:00" } }],
    });
    await services.menus.onMenuClicked({ menuItemId: MENU_ID, pageUrl: "https://x.com/messages/1-2" }, { id: 1 });
    assert.equal(companion.captures[0].kind, "thread");
    assert.equal(lastBadge(api, 1), "+3");
    assert.equal(lastTitle(api, 1), "3 new messages saved.");
  });

  it("the save-page shortcut captures the active tab; failures show on the badge", async () => {
    const { api, services } = setup({ tabs: { 4: { url: "https://x.com/taro" } } });
    await services.menus.onCommand("save-page", undefined);
    assert.equal(lastBadge(api, 4), "!");
    assert.match(lastTitle(api, 4), /doesn't let extensions read this page/);
  });
});

describe("service_worker.js", () => {
  it("registers every listener synchronously at import, and pairs on install", async () => {
    const api = createFakeChrome({
      native: async () => ({ type: "pair", port: 47290, token: "from-native" }),
    });
    globalThis.chrome = api;
    try {
      await import(`../background/service_worker.js?${Date.now()}`);
      for (const [name, emitter] of [
        ["runtime.onInstalled", api.runtime.onInstalled], ["runtime.onStartup", api.runtime.onStartup],
        ["runtime.onMessage", api.runtime.onMessage], ["contextMenus.onClicked", api.contextMenus.onClicked],
        ["commands.onCommand", api.commands.onCommand], ["tabs.onActivated", api.tabs.onActivated],
        ["tabs.onUpdated", api.tabs.onUpdated],
      ]) {
        assert.equal(emitter.listeners.length, 1, name);
      }
      await api.runtime.onInstalled.listeners[0]({ reason: "install" });
      assert.deepEqual(api.storage.local.data.companion, { port: 47290, token: "from-native" });
      assert.equal(api.calls.menus.length, 1);
      // onMessage keeps the channel open for its asynchronous answer.
      const keepOpen = api.runtime.onMessage.listeners[0]({ type: "settings.get" },
        { id: api.runtime.id, url: api.runtime.getURL("options/options.html") }, () => {});
      assert.equal(keepOpen, true);
    } finally {
      delete globalThis.chrome;
    }
  });
});
