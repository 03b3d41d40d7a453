// Options: the companion's status, pairing (automatic over native messaging, or by hand with the
// token from `goen pair --show`) and the language. All work goes through the service worker.

import { applyI18n, createI18n, loadBundledMessages } from "../lib/i18n.js";
import { errorMessageKey, MSG } from "../lib/messages.js";
import { createSettings, parsePort } from "../lib/settings.js";

const api = globalThis.browser ?? globalThis.chrome;
const byId = (id) => document.getElementById(id);
let i18n = { t: (key) => key, language: "en" };

async function send(message) {
  try {
    return (await api.runtime.sendMessage(message))
      ?? { ok: false, error: { code: "server_error", message: "no answer" } };
  } catch (error) {
    return { ok: false, error: { code: "server_error", message: String(error?.message || error) } };
  }
}

const settings = createSettings(api.storage.local);

async function loadI18n() {
  i18n = await createI18n({
    setting: await settings.getLanguage(),
    getMessage: (key, subs) => api.i18n.getMessage(key, subs),
    getUILanguage: () => api.i18n.getUILanguage(),
    loadMessages: loadBundledMessages(api.runtime),
  });
  applyI18n(document, i18n.t, i18n.language);
}

async function refreshStatus() {
  const line = byId("companion-status");
  const problem = byId("status-problem");
  line.textContent = i18n.t("status_checking");
  line.dataset.running = "unknown";
  problem.hidden = true;
  const answer = await send({ type: MSG.COMPANION_STATUS });
  if (!answer.ok) {
    line.textContent = i18n.t(errorMessageKey(answer.error.code));
    line.dataset.running = "false";
    return;
  }
  line.dataset.running = String(Boolean(answer.running));
  line.dataset.paired = String(Boolean(answer.paired));
  if (!answer.paired) line.textContent = i18n.t("status_not_paired");
  else if (answer.running) {
    line.textContent = i18n.t("status_running", [answer.version ?? "?", String(answer.port)]);
  } else {
    line.textContent = i18n.t("status_not_running", [String(answer.port)]);
  }
  if (answer.problem && answer.problem.code !== "offline") {
    problem.textContent = i18n.t(errorMessageKey(answer.problem.code));
    problem.dataset.code = answer.problem.code;
    problem.hidden = false;
  }
}

function showPairResult(answer, { manual = false } = {}) {
  const result = byId("pair-result");
  result.dataset.ok = String(Boolean(answer.ok));
  if (answer.ok) {
    result.textContent = i18n.t("pair_ok", [String(answer.port)]);
    result.removeAttribute("data-code");
  } else {
    // After pasting a token, "unauthorized" means that token: say so in the words of this page.
    const key = manual && answer.error.code === "unauthorized"
      ? "pair_token_mismatch" : errorMessageKey(answer.error.code);
    result.textContent = i18n.t(key);
    result.dataset.code = answer.error.code;
  }
  result.hidden = false;
}

async function withButton(button, work) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = i18n.t("pairing_busy");
  byId("pair-result").hidden = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

async function pairNative() {
  const answer = await withButton(byId("pair-native"), () => send({ type: MSG.PAIR_NATIVE }));
  showPairResult(answer);
  if (!answer.ok && answer.error.code === "native_host_missing") byId("pair-token").focus();
  await refreshStatus();
}

async function pairManual(event) {
  event.preventDefault();
  const port = parsePort(byId("pair-port").value);
  if (port === null) {
    const result = byId("pair-result");
    result.textContent = i18n.t("bad_port");
    result.dataset.ok = "false";
    result.dataset.code = "bad_request";
    result.hidden = false;
    return;
  }
  const token = byId("pair-token").value.trim();
  const answer = await withButton(byId("pair-manual-submit"),
    () => send({ type: MSG.PAIR_MANUAL, port, token }));
  showPairResult(answer, { manual: true });
  if (answer.ok) byId("pair-token").value = "";
  await refreshStatus();
}

async function changeLanguage(event) {
  const answer = await send({ type: MSG.SETTINGS_SET, language: event.target.value });
  if (!answer.ok) return;
  await loadI18n();
  byId("language-status").textContent = i18n.t("language_saved");
  await refreshStatus();
}

async function start() {
  await loadI18n();
  const current = await send({ type: MSG.SETTINGS_GET });
  if (current.ok) byId("language").value = current.language;
  const paired = await settings.getCompanion();
  if (paired) byId("pair-port").value = String(paired.port);
  byId("status-refresh").addEventListener("click", refreshStatus);
  byId("pair-native").addEventListener("click", pairNative);
  byId("pair-manual").addEventListener("submit", pairManual);
  byId("language").addEventListener("change", changeLanguage);
  await refreshStatus();
}

start();
