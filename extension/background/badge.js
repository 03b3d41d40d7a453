// The toolbar badge: on a known person's page, the days since the last interaction (docs/
// EXTENSION.md). Updated when a tab is activated or finishes a navigation, only for pages an
// adapter reads; cleared everywhere else and whenever anything fails. After a save from the menu
// or the shortcut it shows the result instead.

import { badgeDays, badgeText, relativeTime } from "../lib/format.js";
import { errorMessageKey } from "../lib/messages.js";
import { classifyPage } from "../lib/pages.js";

const COLORS = Object.freeze({ known: "#3b6e8f", saved: "#2e7d32", error: "#c62828" });

export function createBadge({ api, settings, getClient, getAdapters, getI18n, now = () => Date.now() }) {
  const latest = new Map(); // tabId -> the number of the newest update, so a slow answer loses

  async function set(tabId, text, title, color) {
    try {
      await api.action.setBadgeText({ tabId, text });
      if (color) await api.action.setBadgeBackgroundColor({ tabId, color });
      await api.action.setTitle({ tabId, title: title || "" });
    } catch {
      // the tab closed meanwhile
    }
  }

  async function clear(tabId) {
    await set(tabId, "", "", null);
  }

  async function showContact(tabId, contact, i18n) {
    const { t, language } = i18n;
    const days = badgeDays(contact.last_interaction, now());
    const name = contact.display_name || "";
    if (days === null) {
      await set(tabId, "✓", t("badge_title_known", [name]), COLORS.known);
      return;
    }
    const when = relativeTime(contact.last_interaction.occurred_at, now(), language,
      { justNow: t("time_just_now") });
    await set(tabId, badgeText(days), t("badge_title_days", [name, when]), COLORS.known);
  }

  async function updateForTab(tabId, url) {
    const number = (latest.get(tabId) ?? 0) + 1;
    latest.set(tabId, number);
    const stillLatest = () => latest.get(tabId) === number;
    try {
      if (typeof url !== "string" || !(await settings.getCompanion())) {
        await clear(tabId);
        return;
      }
      const page = classifyPage(url, await getAdapters());
      if (!page || page.kind === "thread") {
        if (stillLatest()) await clear(tabId);
        return;
      }
      const lookup = await getClient().lookup(url);
      if (!stillLatest()) return;
      if (lookup?.known && lookup.contact) await showContact(tabId, lookup.contact, await getI18n());
      else await clear(tabId);
    } catch {
      if (stillLatest()) await clear(tabId);
    }
  }

  // After a save from the menu or the shortcut.
  async function showSaved(tabId, capture) {
    const i18n = await getI18n();
    latest.set(tabId, (latest.get(tabId) ?? 0) + 1);
    if (capture?.status && capture.status !== "parsed") {
      await set(tabId, "?", i18n.t("save_result_needs_attention"), COLORS.error);
    } else if (capture?.kind === "thread") {
      const count = Number(capture.new_interactions) || 0;
      const title = count > 0 ? i18n.t("save_result_messages", [String(count)])
        : i18n.t("save_result_nothing_new");
      await set(tabId, count > 0 ? `+${count}` : "✓", title, COLORS.saved);
    } else if (capture?.contact) {
      await showContact(tabId, capture.contact, i18n);
    } else {
      await set(tabId, "✓", i18n.t("save_result_saved"), COLORS.saved);
    }
  }

  async function showLinkSaved(tabId, answer) {
    const i18n = await getI18n();
    const name = answer?.contact?.display_name || "";
    const key = answer?.created ? "link_saved_new" : "link_saved_existing";
    await set(tabId, "✓", i18n.t(key, [name]), COLORS.saved);
  }

  async function showError(tabId, error) {
    const i18n = await getI18n();
    latest.set(tabId, (latest.get(tabId) ?? 0) + 1);
    await set(tabId, "!", i18n.t(errorMessageKey(error?.code)), COLORS.error);
  }

  return { updateForTab, clear, showSaved, showLinkSaved, showError };
}
