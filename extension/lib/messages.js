// The names shared by the popup, the options page and the service worker (docs/EXTENSION.md,
// "Messages"). Every answer is {ok: true, ...} or {ok: false, error: {code, message}}.

export const MSG = Object.freeze({
  POPUP_STATE: "popup.state",
  CAPTURE_TAB: "capture.tab",
  CONTACT_NOTE: "contact.note",
  WEBVIEW_OPEN: "webview.open",
  COMPANION_STATUS: "companion.status",
  PAIR_NATIVE: "pair.native",
  PAIR_MANUAL: "pair.manual",
  SETTINGS_GET: "settings.get",
  SETTINGS_SET: "settings.set",
});

export const ERROR_CODES = Object.freeze([
  "not_paired", "offline", "unauthorized", "timeout", "unsupported_page", "not_injectable",
  "too_large", "server_error", "bad_request", "native_host_missing", "pairing_failed",
  "impostor",
]);

// What the popup and the options page say for each error code: the i18n key of the message.
// Each message says what happened and what to do.
export const ERROR_MESSAGE_KEYS = Object.freeze({
  not_paired: "error_not_paired",
  offline: "error_offline",
  unauthorized: "error_unauthorized",
  timeout: "error_timeout",
  unsupported_page: "error_unsupported_page",
  not_injectable: "error_not_injectable",
  too_large: "error_too_large",
  server_error: "error_server_error",
  bad_request: "error_bad_request",
  native_host_missing: "error_native_host_missing",
  pairing_failed: "error_pairing_failed",
  impostor: "error_impostor",
});

export function errorMessageKey(code) {
  return ERROR_MESSAGE_KEYS[code] ?? "error_server_error";
}

// Popup states (the data-state of the popup's root).
export const POPUP_STATES = Object.freeze([
  "not_paired", "offline", "unsupported", "known", "unknown", "thread",
]);

export const NATIVE_HOST = "jp.goen.companion";
export const DEFAULT_PORT = 47290;
