// A small fake of the chrome.* APIs the service worker uses, recording what it is asked.

import { readFileSync } from "node:fs";
import path from "node:path";
import { formatMessage } from "../../lib/i18n.js";
import { EXTENSION_DIR, EXTENSION_ORIGIN } from "./fake_companion.js";

export function fakeStorageArea(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return structuredClone(data);
      const list = Array.isArray(keys) ? keys : [keys];
      const out = {};
      for (const key of list) if (key in data) out[key] = structuredClone(data[key]);
      return out;
    },
    async set(items) { Object.assign(data, structuredClone(items)); },
    async remove(keys) { for (const key of [].concat(keys)) delete data[key]; },
  };
}

function event() {
  const listeners = [];
  return { listeners, addListener: (fn) => listeners.push(fn) };
}

export function createFakeChrome({ tabs = {}, local = {}, native = null, inject = null } = {}) {
  const en = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "_locales/en/messages.json"), "utf8"));
  const calls = { native: [], badge: [], titles: [], created: [], menus: [], injected: [] };
  const api = {
    calls,
    storage: { local: fakeStorageArea(local), session: fakeStorageArea(), sync: null },
    runtime: {
      id: "bddjgpkhpndbfbomeobifkpedemfoeno",
      getURL: (p) => `${EXTENSION_ORIGIN}${p}`,
      async sendNativeMessage(host, message) {
        calls.native.push({ host, message });
        if (!native) throw new Error("Specified native messaging host not found.");
        return native(message);
      },
      onInstalled: event(), onStartup: event(), onMessage: event(),
      openOptionsPage: async () => {},
    },
    i18n: {
      getMessage: (key, subs) => formatMessage(en[key], subs),
      getUILanguage: () => "en-US",
    },
    tabs: {
      async get(tabId) {
        if (!(tabId in tabs)) throw new Error(`No tab with id: ${tabId}.`);
        return { id: tabId, ...tabs[tabId] };
      },
      async query() { return Object.keys(tabs).slice(0, 1).map((id) => ({ id: Number(id), ...tabs[id] })); },
      async create(props) { calls.created.push(props); return { id: 999, ...props }; },
      onActivated: event(), onUpdated: event(),
    },
    scripting: {
      async executeScript(details) {
        calls.injected.push(details);
        if (!inject) throw new Error("Cannot access contents of the page.");
        return inject(details);
      },
    },
    action: {
      async setBadgeText(d) { calls.badge.push(d); },
      async setBadgeBackgroundColor() {},
      async setTitle(d) { calls.titles.push(d); },
    },
    contextMenus: {
      async removeAll() { calls.menus.length = 0; },
      create(d) { calls.menus.push(d); },
      async update(id, d) { Object.assign(calls.menus.find((m) => m.id === id) ?? {}, d); },
      onClicked: event(),
    },
    commands: { onCommand: event() },
  };
  return api;
}

// The sender of a message from the extension's own popup.
export const POPUP_SENDER = {
  id: "bddjgpkhpndbfbomeobifkpedemfoeno",
  url: `${EXTENSION_ORIGIN}popup/popup.html`,
};
