// What the popup shows for a tab (docs/EXTENSION.md, `popup.state`):
//   not_paired -> offline -> unsupported -> thread | known | unknown
// not_paired also covers a stored pairing the companion refuses (`error` says why).
// The companion is asked for a fresh adapter list each time the popup opens, which also tells
// whether it is running.

import { classifyPage } from "../lib/pages.js";

export function createPopupState({ api, settings, getClient, getAdapters }) {
  return async function popupState(tabId) {
    const tab = await api.tabs.get(tabId);
    const url = typeof tab?.url === "string" ? tab.url : null;
    const answer = { state: null, url, page: null, contact: null, lookup: null };
    if (!(await settings.getCompanion())) return { ...answer, state: "not_paired" };
    let adapters;
    try {
      adapters = await getAdapters({ maxAgeMs: 0 });
    } catch (error) {
      if (error.code === "offline") {
        return { ...answer, state: "offline", error: { code: error.code, message: error.message } };
      }
      // A token the companion refuses, or a server that cannot prove it holds ours, and no
      // native host to pair again: to the user that is "pair again" (the message says which).
      if (["not_paired", "unauthorized", "impostor"].includes(error.code)) {
        return { ...answer, state: "not_paired", error: { code: error.code, message: error.message } };
      }
      throw error;
    }
    const page = url ? classifyPage(url, adapters) : null;
    if (!page) return { ...answer, state: "unsupported" };
    if (page.kind === "thread") return { ...answer, state: "thread", page };
    const lookup = await getClient().lookup(url);
    const known = Boolean(lookup?.known && lookup.contact);
    return {
      ...answer,
      state: known ? "known" : "unknown",
      page,
      contact: known ? lookup.contact : null,
      lookup,
    };
  };
}
