// Fills the known-person view from a contact summary (docs/API.md). Page data only ever goes
// into textContent, attributes and an <img> src that must be http(s).

import { directionKey, formatDate, platformName, relativeTime } from "../lib/format.js";

const MINE = new Set(["mine", "me", "user", "self", "out", "own"]);
const THEIRS = new Set(["theirs", "them", "contact", "their", "in", "other"]);

function byId(id) {
  return document.getElementById(id);
}

function setText(id, text) {
  const element = byId(id);
  element.textContent = text || "";
  element.hidden = !text;
}

function isWebImage(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url);
}

function renderPhoto(contact, t) {
  const photo = byId("contact-photo");
  if (isWebImage(contact.avatar_url)) {
    photo.src = contact.avatar_url;
    photo.alt = t("photo_alt", [contact.display_name || ""]);
    photo.hidden = false;
  } else {
    photo.removeAttribute("src");
    photo.hidden = true;
  }
}

function renderLastInteraction(last, { t, language, now }) {
  const when = byId("last-when");
  if (!last || !last.occurred_at) {
    when.textContent = t("last_interaction_none");
    when.removeAttribute("title");
    setText("last-snippet", "");
    return;
  }
  const parts = [relativeTime(last.occurred_at, now, language, { justNow: t("time_just_now") })];
  const platform = platformName(last.platform, t);
  if (platform) parts.push(platform);
  const direction = directionKey(last.direction);
  if (direction) parts.push(t(direction));
  when.textContent = parts.join(" · ");
  when.title = formatDate(last.occurred_at, language);
  setText("last-snippet", typeof last.snippet === "string" ? last.snippet.trim() : "");
}

function whoseKey(whose) {
  const value = String(whose || "").toLowerCase();
  if (MINE.has(value)) return "promise_whose_mine";
  if (THEIRS.has(value)) return "promise_whose_theirs";
  return null;
}

function renderPromises(promises, { t, language }) {
  const section = byId("promises");
  const list = byId("promise-list");
  list.replaceChildren();
  const items = Array.isArray(promises) ? promises.filter((p) => p && p.text) : [];
  for (const promise of items) {
    const item = document.createElement("li");
    item.textContent = String(promise.text);
    const meta = [];
    const whose = whoseKey(promise.whose);
    if (whose) meta.push(t(whose));
    if (promise.due) meta.push(t("promise_due", [formatDate(promise.due, language)]));
    if (meta.length) {
      const span = document.createElement("span");
      span.className = "meta";
      span.textContent = ` (${meta.join(", ")})`;
      item.append(span);
    }
    list.append(item);
  }
  section.hidden = items.length === 0;
}

// The companion's strongest suggestion (docs/API.md, "Contact summary"): why now in the popup's
// language, and the draft written in the contact's own language, or what is missing for one.
function inLanguage(texts, language) {
  if (!texts || typeof texts !== "object") return "";
  const text = texts[language] ?? texts[language === "ja" ? "en" : "ja"];
  return typeof text === "string" ? text : "";
}

function renderFollowup(followup, { language }) {
  const section = byId("next-followup");
  const why = inLanguage(followup?.why, language);
  const draft = typeof followup?.draft?.text === "string" ? followup.draft.text : "";
  byId("followup-text").textContent = why;
  setText("followup-draft", why ? draft : "");
  if (draft) byId("followup-draft").lang = followup.draft.lang === "en" ? "en" : "ja";
  setText("followup-missing", why && !draft ? inLanguage(followup.missing, language) : "");
  byId("followup-copy").hidden = !(why && draft);
  byId("followup-copied").textContent = "";
  section.hidden = !why;
}

function renderTags(tags) {
  const list = byId("tag-list");
  list.replaceChildren();
  const names = Array.isArray(tags) ? tags.filter((tag) => typeof tag === "string" && tag) : [];
  for (const name of names) {
    const item = document.createElement("li");
    item.textContent = name;
    list.append(item);
  }
  byId("tags").hidden = names.length === 0;
}

export function renderContact(contact, context) {
  const { t } = context;
  renderPhoto(contact, t);
  byId("contact-name").textContent = contact.display_name || "";
  setText("contact-reading", contact.reading);
  setText("contact-headline", contact.headline);
  const organisation = contact.organisation && contact.organisation !== contact.headline
    ? contact.organisation : "";
  setText("contact-organisation", organisation);
  renderLastInteraction(contact.last_interaction, context);
  renderPromises(contact.open_promises, context);
  renderFollowup(contact.next_followup, context);
  renderTags(contact.tags);
}
