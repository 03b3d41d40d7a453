// The one message table: type -> handler (docs/EXTENSION.md, "Messages"). Every answer is
// {ok: true, ...} or {ok: false, error: {code, message}}.

import { CompanionError } from "../lib/client.js";
import { ERROR_CODES, MSG } from "../lib/messages.js";
import { parsePort } from "../lib/settings.js";

export function messageTable(services) {
  const { settings, client, capture, pairing, badge } = services;
  return {
    [MSG.POPUP_STATE]: (message) => services.popupState(requireTabId(message)),

    [MSG.CAPTURE_TAB]: async (message) => {
      const tabId = requireTabId(message);
      const kind = ["profile", "thread", "auto"].includes(message.kind) ? message.kind : "auto";
      const answer = await capture.captureTab(tabId, kind);
      const tab = await services.api.tabs.get(tabId).catch(() => null);
      if (tab?.url) badge.updateForTab(tabId, tab.url); // not awaited: the popup waits for nothing
      return { capture: answer };
    },

    [MSG.CONTACT_NOTE]: async (message) => {
      const body = typeof message.body === "string" ? message.body.trim() : "";
      if (!body) throw new CompanionError({ code: "bad_request", message: "The note is empty" });
      return { note: await client.addNote(requireContactId(message), body) };
    },

    [MSG.WEBVIEW_OPEN]: (message) => services.openContact(requireContactId(message)),

    [MSG.COMPANION_STATUS]: () => services.companionStatus(),

    [MSG.PAIR_NATIVE]: async () => ({ port: (await pairing.pairNative()).port }),

    [MSG.PAIR_MANUAL]: async (message) => {
      const port = typeof message.port === "number" ? message.port : parsePort(message.port);
      if (port === null) throw new CompanionError({ code: "bad_request", message: "Bad port" });
      return { port: (await pairing.pairManual(port, message.token)).port };
    },

    [MSG.SETTINGS_GET]: async () => ({ language: await settings.getLanguage() }),

    [MSG.SETTINGS_SET]: async (message) => {
      try {
        await settings.setLanguage(message.language);
      } catch {
        throw new CompanionError({ code: "bad_request", message: "Unknown language" });
      }
      await services.menus.retitle().catch(() => {});
      return { language: await settings.getLanguage() };
    },
  };
}

function requireTabId(message) {
  if (!Number.isInteger(message.tabId) || message.tabId < 0) {
    throw new CompanionError({ code: "bad_request", message: "tabId is required" });
  }
  return message.tabId;
}

function requireContactId(message) {
  const id = Number(message.contactId);
  if (!Number.isInteger(id) || id < 1) {
    throw new CompanionError({ code: "bad_request", message: "contactId is required" });
  }
  return id;
}

export function errorAnswer(error) {
  const code = ERROR_CODES.includes(error?.code) ? error.code : "server_error";
  return { ok: false, error: { code, message: String(error?.message || code) } };
}

// -> handle(message, sender) => Promise<answer>. `isTrusted(sender)` keeps web pages and content
// scripts out: only the extension's own pages may ask.
export function createRouter(table, { isTrusted = () => true } = {}) {
  return async function handle(message, sender) {
    if (!isTrusted(sender)) {
      return { ok: false, error: { code: "bad_request", message: "Not from this extension" } };
    }
    const handler = message && typeof message.type === "string"
      && Object.hasOwn(table, message.type) ? table[message.type] : null;
    if (!handler) {
      return { ok: false, error: { code: "bad_request", message: "Unknown message type" } };
    }
    try {
      return { ok: true, ...(await handler(message, sender)) };
    } catch (error) {
      return errorAnswer(error);
    }
  };
}

export function senderCheck(runtime) {
  const origin = runtime.getURL("");
  return (sender) => sender?.id === runtime.id
    && typeof sender.url === "string" && sender.url.startsWith(origin);
}
