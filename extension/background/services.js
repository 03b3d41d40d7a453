// Builds the service worker's parts from a browser API object (chrome, browser, or a fake in
// tests). Nothing here registers listeners: service_worker.js does that at top level.

import { createClient } from "../lib/client.js";
import { createSettings } from "../lib/settings.js";
import { createAdapterCache } from "./adapters.js";
import { createBadge } from "./badge.js";
import { createCapture } from "./capture.js";
import { createBackgroundI18n } from "./i18n.js";
import { createMenus } from "./menus.js";
import { createPairing } from "./pairing.js";
import { createPopupState } from "./popup_state.js";
import { createWebView } from "./webview.js";

export function createServices({
  api,
  fetchImpl = (...args) => globalThis.fetch(...args),
  crypto = globalThis.crypto,
  now = () => Date.now(),
  timeoutMs,
  captureTimeoutMs,
}) {
  const settings = createSettings(api.storage.local);
  let client = null;
  const getClient = () => client;
  const pairing = createPairing({ api, settings, getClient });
  client = createClient({
    fetch: fetchImpl,
    crypto,
    getPairing: () => settings.getCompanion(),
    repair: () => pairing.repair(),
    sessionArea: api.storage.session ?? null,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(captureTimeoutMs ? { captureTimeoutMs } : {}),
  });
  const getAdapters = createAdapterCache({ settings, getClient, now });
  const getI18n = createBackgroundI18n({ api, settings, fetchImpl });
  const capture = createCapture({ api, settings, getClient, getAdapters });
  const badge = createBadge({ api, settings, getClient, getAdapters, getI18n, now });
  const menus = createMenus({ api, getI18n, capture, badge, getClient });
  const popupState = createPopupState({ api, settings, getClient, getAdapters });
  const openContact = createWebView({ api, settings });

  async function companionStatus() {
    const paired = await settings.getCompanion();
    if (!paired) return { paired: false, running: false, version: null, port: null };
    try {
      const status = await client.status();
      return { paired: true, running: true, version: status.version ?? null, port: paired.port };
    } catch (error) {
      const current = await settings.getCompanion();
      return {
        paired: Boolean(current),
        running: false,
        version: null,
        port: current?.port ?? paired.port,
        problem: { code: error.code, message: error.message },
      };
    }
  }

  return {
    api, settings, client, pairing, getAdapters, getI18n, capture, badge, menus, popupState,
    openContact, companionStatus,
  };
}
