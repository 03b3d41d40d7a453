// The service worker's strings (menu title, badge tooltips) in the language the user chose.

import { createI18n, loadBundledMessages } from "../lib/i18n.js";

export function createBackgroundI18n({ api, settings, fetchImpl }) {
  const loadMessages = loadBundledMessages(api.runtime, fetchImpl);
  return async function getI18n() {
    return createI18n({
      setting: await settings.getLanguage(),
      getMessage: (key, subs) => api.i18n.getMessage(key, subs),
      getUILanguage: () => api.i18n.getUILanguage(),
      loadMessages,
    });
  };
}
