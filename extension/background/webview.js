// Opening a person in the companion's web view. The native host's `open` (native_host/
// PROTOCOL.md) answers a one-time URL that logs the browser in and lands on `path`; without a
// host, the contact's page on the companion is opened directly.

import { NATIVE_HOST } from "../lib/messages.js";
import { CompanionError } from "../lib/client.js";

// Only the companion on this computer, never a URL some other program might slip in.
export function isCompanionUrl(url) {
  return typeof url === "string"
    && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):[0-9]{1,5}\//.test(url);
}

export function createWebView({ api, settings }) {
  return async function openContact(contactId) {
    const pairing = await settings.getCompanion();
    if (!pairing) throw new CompanionError({ code: "not_paired", message: "Not paired" });
    const id = Number(contactId);
    if (!Number.isInteger(id) || id < 1) {
      throw new CompanionError({ code: "bad_request", message: "No such contact" });
    }
    let url = `http://127.0.0.1:${pairing.port}/contacts/${id}`;
    try {
      const answer = await api.runtime.sendNativeMessage(NATIVE_HOST, {
        type: "open", path: `/contacts/${id}`,
      });
      if (answer?.type === "open" && isCompanionUrl(answer.url)) url = answer.url;
    } catch {
      // no native host: the direct URL
    }
    await api.tabs.create({ url });
    return { url };
  };
}
