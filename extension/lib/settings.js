// What the extension keeps in storage.local (docs/EXTENSION.md, "Storage"). Never the synced
// storage area: the token must not leave this computer through browser sync (SECURITY.md).
//
//   companion = {port, token}
//   language  = "auto" | "en" | "ja"
//   adapters  = {fetched_at: <ms>, adapters: [...]}   the last GET /api/v1/adapters answer

import { DEFAULT_PORT } from "./messages.js";

export const LANGUAGES = Object.freeze(["auto", "en", "ja"]);

export function isValidPort(port) {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

export function parsePort(text) {
  const raw = String(text ?? "").trim();
  if (raw === "") return DEFAULT_PORT;
  if (!/^[0-9]{1,5}$/.test(raw)) return null;
  const port = Number(raw);
  return isValidPort(port) ? port : null;
}

export function createSettings(storageLocal) {
  async function read(key) {
    const found = await storageLocal.get(key);
    return found?.[key];
  }

  return {
    async getCompanion() {
      const value = await read("companion");
      if (!value || typeof value.token !== "string" || !value.token || !isValidPort(value.port)) {
        return null;
      }
      return { port: value.port, token: value.token };
    },
    async setCompanion({ port, token }) {
      if (!isValidPort(port) || typeof token !== "string" || !token) {
        throw new TypeError("a pairing needs a port and a token");
      }
      await storageLocal.set({ companion: { port, token } });
    },
    async clearCompanion() {
      await storageLocal.remove("companion");
    },
    async getLanguage() {
      const value = await read("language");
      return LANGUAGES.includes(value) ? value : "auto";
    },
    async setLanguage(language) {
      if (!LANGUAGES.includes(language)) throw new TypeError(`unknown language ${language}`);
      await storageLocal.set({ language });
    },
    async getAdapters() {
      const value = await read("adapters");
      return value && Array.isArray(value.adapters) ? value : null;
    },
    async setAdapters(adapters, fetchedAt = Date.now()) {
      await storageLocal.set({ adapters: { fetched_at: fetchedAt, adapters } });
    },
  };
}
