// Goen's service worker (Chromium) and event page script (Firefox): the same module.
// Every listener is registered synchronously at the top level, so an event that wakes the worker
// finds its listener (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
// The work itself lives in the imported modules; the one message table is router.js.

import { createRouter, messageTable, senderCheck } from "./router.js";
import { createServices } from "./services.js";

// Firefox's `browser` returns promises everywhere; Chromium's `chrome` does too in MV3.
const api = globalThis.browser ?? globalThis.chrome;
const services = createServices({ api });
const handle = createRouter(messageTable(services), { isTrusted: senderCheck(api.runtime) });

function ignore() {}

api.runtime.onInstalled.addListener(async () => {
  services.menus.install().catch(ignore);
  // Pair on install (and on an update or reload that finds no pairing). Without a native host
  // this fails quietly; the options page explains manual pairing.
  if (!(await services.settings.getCompanion())) await services.pairing.pairNative().catch(ignore);
});

api.runtime.onStartup.addListener(() => {
  services.menus.install().catch(ignore);
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse);
  return true; // the answer comes asynchronously
});

api.contextMenus.onClicked.addListener((info, tab) => {
  services.menus.onMenuClicked(info, tab).catch(ignore);
});

api.commands.onCommand.addListener((command, tab) => {
  services.menus.onCommand(command, tab).catch(ignore);
});

api.tabs.onActivated.addListener(({ tabId }) => {
  api.tabs.get(tabId)
    .then((tab) => services.badge.updateForTab(tabId, tab?.url))
    .catch(ignore);
});

api.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
  // status "complete": a page finished loading; url alone: a single-page site moved on (X,
  // LinkedIn and Bluesky change profiles without loading a new page).
  if (changeInfo.status === "complete" || typeof changeInfo.url === "string") {
    services.badge.updateForTab(tabId, tab?.url).catch(ignore);
  }
});
