// Saving a tab: inject the serialiser, check what it returns, post it to POST /api/v1/captures.
// The serialiser does no site logic; the companion's adapters read the page (docs/CAPTURE.md).

import { CompanionError } from "../lib/client.js";
import { captureKind, classifyPage, isWebUrl } from "../lib/pages.js";

export const SERIALIZER_FILE = "content/serialize.js";
export const MAX_HTML_CHARS = 8 * 1024 * 1024;

export function createCapture({ api, settings, getClient, getAdapters }) {
  // -> the serialiser's payload {url, title, html, captured_at}.
  async function serializeTab(tabId) {
    let results;
    try {
      results = await api.scripting.executeScript({
        target: { tabId }, files: [SERIALIZER_FILE],
      });
    } catch (error) {
      // chrome://, the Web Store, PDF viewers, pages without host permission or activeTab.
      throw new CompanionError({ code: "not_injectable", message: String(error?.message || error) });
    }
    const payload = results?.[0]?.result;
    if (!payload || typeof payload !== "object" || typeof payload.url !== "string") {
      const reason = results?.[0]?.error ? String(results[0].error) : "the page gave no result";
      throw new CompanionError({ code: "not_injectable", message: reason });
    }
    if (payload.error?.code === "too_large" || (payload.html?.length ?? 0) > MAX_HTML_CHARS) {
      throw new CompanionError({
        code: "too_large",
        message: `The page has ${payload.error?.chars ?? payload.html.length} characters; the limit is ${MAX_HTML_CHARS}`,
      });
    }
    if (typeof payload.html !== "string") {
      throw new CompanionError({ code: "not_injectable", message: "the page gave no HTML" });
    }
    return payload;
  }

  // kind: "profile" | "thread" | "auto". -> the POST /captures answer.
  async function captureTab(tabId, kind = "auto") {
    if (!(await settings.getCompanion())) {
      throw new CompanionError({ code: "not_paired", message: "The extension is not paired" });
    }
    const tab = await api.tabs.get(tabId);
    if (tab?.url && !isWebUrl(tab.url)) {
      throw new CompanionError({ code: "unsupported_page", message: "Only web pages can be saved" });
    }
    const adapters = await getAdapters();
    const payload = await serializeTab(tabId);
    const page = classifyPage(payload.url, adapters);
    if (!page) {
      throw new CompanionError({ code: "unsupported_page", message: "No adapter reads this page" });
    }
    return getClient().capture({
      url: payload.url,
      kind: captureKind(kind, page),
      html: payload.html,
      title: payload.title,
      captured_at: payload.captured_at,
    });
  }

  return { captureTab, serializeTab };
}
