// The popup for one tab: the active tab of this window, or ?tabId=<n> (docs/EXTENSION.md).
// It only renders what the service worker answers; the root's data-state is the state.

import { applyI18n, createI18n, loadBundledMessages } from "../lib/i18n.js";
import { errorMessageKey, MSG } from "../lib/messages.js";
import { createSettings } from "../lib/settings.js";
import { renderContact } from "./contact_view.js";

const api = globalThis.browser ?? globalThis.chrome;
const byId = (id) => document.getElementById(id);
const VIEWS = { known: "view-known", unknown: "view-unknown", thread: "view-thread" };
// What each state without a view says, as an error message that tells what to do.
const STATE_MESSAGES = {
  not_paired: "error_not_paired",
  offline: "error_offline",
  unsupported: "unsupported_intro",
};

let i18n = { t: (key) => key, language: "en" };
let tabId = null;
let contact = null;

async function send(message) {
  try {
    const answer = await api.runtime.sendMessage(message);
    return answer ?? { ok: false, error: { code: "server_error", message: "no answer" } };
  } catch (error) {
    return { ok: false, error: { code: "server_error", message: String(error?.message || error) } };
  }
}

async function targetTabId() {
  const fromQuery = new URLSearchParams(location.search).get("tabId");
  if (fromQuery !== null && /^[0-9]+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function setState(state) {
  byId("root").dataset.state = state;
  byId("loading").hidden = state !== "loading";
  for (const [name, id] of Object.entries(VIEWS)) byId(id).hidden = name !== state;
}

function clearMessages() {
  byId("error-box").hidden = true;
  const result = byId("save-result");
  result.hidden = true;
  result.textContent = "";
  result.removeAttribute("data-new-interactions");
  result.removeAttribute("data-status");
}

function showError(error, { messageKey } = {}) {
  const code = error?.code ?? "server_error";
  byId("error-message").textContent = i18n.t(messageKey ?? errorMessageKey(code));
  byId("error-message").dataset.code = code;
  // The companion's own words help when it refused something; other codes say it all.
  const detail = ["bad_request", "server_error"].includes(code) ? error?.message : "";
  byId("error-detail").textContent = detail || "";
  byId("error-detail").hidden = !detail;
  byId("open-options").hidden = !["not_paired", "unauthorized", "impostor"].includes(code);
  byId("retry").hidden = !["offline", "timeout", "server_error"].includes(code);
  byId("error-box").hidden = false;
}

function showContact(summary) {
  contact = summary;
  renderContact(summary, { t: i18n.t, language: i18n.language, now: Date.now() });
}

function render(answer) {
  clearMessages();
  if (!answer.ok) {
    setState("error");
    showError(answer.error);
    return;
  }
  setState(answer.state);
  if (answer.state === "known") showContact(answer.contact);
  if (STATE_MESSAGES[answer.state]) {
    // not_paired may come from a refused token (unauthorized) or a failed handshake
    // (impostor): their own messages say more than "pair first".
    const code = answer.error?.code ?? answer.state;
    const special = ["unauthorized", "impostor"].includes(code);
    showError({ code }, { messageKey: special ? errorMessageKey(code) : STATE_MESSAGES[answer.state] });
  }
}

// "Saved" / "3 new messages saved" / "Already saved"; data-new-interactions holds the number.
function showSaveResult(capture) {
  const result = byId("save-result");
  const count = Number(capture?.new_interactions) || 0;
  let key;
  if (capture?.status && capture.status !== "parsed") key = "save_result_needs_attention";
  else if (capture?.kind === "thread") {
    if (count === 0) key = "save_result_nothing_new";
    else key = count === 1 ? "save_result_one_message" : "save_result_messages";
  } else key = capture?.duplicate ? "save_result_nothing_new" : "save_result_saved";
  result.textContent = i18n.t(key, [String(count)]);
  result.dataset.newInteractions = String(count);
  result.dataset.status = capture?.status ?? "parsed";
  result.hidden = false;
}

async function busy(button, work) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = i18n.t("saving");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}

async function save(button, kind) {
  clearMessages();
  const answer = await busy(button, () => send({ type: MSG.CAPTURE_TAB, tabId, kind }));
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  const { capture } = answer;
  if (kind !== "thread" && capture?.status === "parsed" && capture.contact) {
    setState("known");
    showContact(capture.contact);
  }
  showSaveResult(capture);
}

// The draft goes to the clipboard for the user to paste into the site's message box; Goen
// never sends a message itself.
async function copyDraft() {
  const status = byId("followup-copied");
  try {
    await navigator.clipboard.writeText(byId("followup-draft").textContent);
    status.textContent = i18n.t("draft_copied");
  } catch (error) {
    status.textContent = String(error?.message || error);
  }
}

async function saveNote(event) {
  event.preventDefault();
  const input = byId("note-input");
  const status = byId("note-status");
  const body = input.value.trim();
  status.textContent = "";
  if (!body || !contact) return;
  byId("error-box").hidden = true;
  const answer = await busy(byId("note-save"),
    () => send({ type: MSG.CONTACT_NOTE, contactId: contact.id, body }));
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  input.value = "";
  status.textContent = i18n.t("note_saved");
}

async function openWebView() {
  if (!contact) return;
  const answer = await send({ type: MSG.WEBVIEW_OPEN, contactId: contact.id });
  if (!answer.ok) showError(answer.error);
}

async function load() {
  setState("loading");
  clearMessages();
  if (tabId === null) {
    render({ ok: true, state: "unsupported" });
    return;
  }
  render(await send({ type: MSG.POPUP_STATE, tabId }));
}

async function start() {
  const settings = createSettings(api.storage.local);
  i18n = await createI18n({
    setting: await settings.getLanguage(),
    getMessage: (key, subs) => api.i18n.getMessage(key, subs),
    getUILanguage: () => api.i18n.getUILanguage(),
    loadMessages: loadBundledMessages(api.runtime),
  });
  applyI18n(document, i18n.t, i18n.language);

  byId("save-contact").addEventListener("click", (e) => save(e.currentTarget, "profile"));
  byId("update-contact").addEventListener("click", (e) => save(e.currentTarget, "profile"));
  byId("save-conversation").addEventListener("click", (e) => save(e.currentTarget, "thread"));
  byId("note-form").addEventListener("submit", saveNote);
  byId("followup-copy").addEventListener("click", copyDraft);
  byId("open-webview").addEventListener("click", openWebView);
  byId("open-options").addEventListener("click", () => api.runtime.openOptionsPage());
  byId("retry").addEventListener("click", load);

  tabId = await targetTabId();
  await load();
}

start();
