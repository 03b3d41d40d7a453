// Every visible string goes through here. "auto" uses the browser's own chrome.i18n (the UI
// language, falling back to default_locale "en"); "en" / "ja" load _locales/<lang>/messages.json
// and format it the way chrome.i18n.getMessage does: named placeholders ($count$, defined in
// "placeholders" with content "$1") and positional $1..$9, "$$" for a literal dollar.
// https://developer.chrome.com/docs/extensions/reference/api/i18n

export const SUPPORTED = Object.freeze(["en", "ja"]);

export function resolveLanguage(setting, uiLanguage) {
  if (SUPPORTED.includes(setting)) return setting;
  return String(uiLanguage || "").toLowerCase().startsWith("ja") ? "ja" : "en";
}

// entry: {message, placeholders?}; substitutions: a string or an array of up to 9 strings.
export function formatMessage(entry, substitutions = []) {
  if (!entry || typeof entry.message !== "string") return "";
  const subs = (Array.isArray(substitutions) ? substitutions : [substitutions]).map(
    (value) => (value === undefined || value === null ? "" : String(value)));
  const placeholders = {};
  for (const [name, value] of Object.entries(entry.placeholders || {})) {
    placeholders[name.toLowerCase()] = typeof value?.content === "string" ? value.content : "";
  }
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const content = placeholders[name.toLowerCase()];
    return content === undefined ? whole : content;
  });
  // One pass, so a substituted value that contains "$1" is left as it is.
  return named.replace(/\$(\$|[1-9])/g, (whole, which) => {
    if (which === "$") return "$";
    return subs[Number(which) - 1] ?? "";
  });
}

// The placeholder names a message uses (for the locale consistency test).
export function placeholderNames(entry) {
  return Object.keys(entry?.placeholders || {}).map((name) => name.toLowerCase()).sort();
}

// -> {language, t(key, substitutions)}.
//   getMessage / getUILanguage: chrome.i18n's; loadMessages(lang): the parsed messages.json.
export async function createI18n({ setting = "auto", getMessage, getUILanguage, loadMessages }) {
  let table = null;
  if (SUPPORTED.includes(setting) && loadMessages) {
    try {
      table = await loadMessages(setting);
    } catch {
      table = null; // fall back to the browser's language rather than showing nothing
    }
  }
  function t(key, substitutions) {
    if (table && table[key]) return formatMessage(table[key], substitutions);
    const text = getMessage ? getMessage(key, substitutions) : "";
    return text || key;
  }
  // The language of the strings actually shown (for dates and <html lang>).
  const language = table ? setting : resolveLanguage("auto", getUILanguage?.());
  return { language, t };
}

// Applies data-i18n (text), data-i18n-placeholder, data-i18n-title and data-i18n-aria-label.
export function applyI18n(root, t, language) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.getAttribute("data-i18n"));
  }
  for (const [data, attribute] of [
    ["data-i18n-placeholder", "placeholder"],
    ["data-i18n-title", "title"],
    ["data-i18n-aria-label", "aria-label"],
  ]) {
    for (const element of root.querySelectorAll(`[${data}]`)) {
      element.setAttribute(attribute, t(element.getAttribute(data)));
    }
  }
  const html = root.documentElement ?? root.ownerDocument?.documentElement;
  if (html && language) html.setAttribute("lang", language);
}

// The browser-facing wiring: the stored setting, chrome.i18n and fetch of the bundled file.
export function loadBundledMessages(runtime, fetchImpl = fetch) {
  return async (lang) => {
    const response = await fetchImpl(runtime.getURL(`_locales/${lang}/messages.json`));
    if (!response.ok) throw new Error(`messages for ${lang}: HTTP ${response.status}`);
    return response.json();
  };
}
