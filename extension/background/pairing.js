// Pairing: where the companion listens and the token it wants (docs/EXTENSION.md).
// Automatic over native messaging (native_host/PROTOCOL.md, `pair`), or manual with the token
// printed by `goen pair --show`. The pairing is kept in storage.local, never in the synced
// storage area.

import { CompanionError } from "../lib/client.js";
import { NATIVE_HOST } from "../lib/messages.js";
import { isValidPort } from "../lib/settings.js";

export function createPairing({ api, settings, getClient }) {
  // -> {port, token}; errors: native_host_missing (no host installed or not allowed),
  // pairing_failed (the host answered but gave no pairing).
  async function pairNative() {
    let answer;
    try {
      answer = await api.runtime.sendNativeMessage(NATIVE_HOST, { type: "pair" });
    } catch (error) {
      throw new CompanionError({
        code: "native_host_missing", message: String(error?.message || error),
      });
    }
    if (!answer || answer.type !== "pair" || !isValidPort(answer.port)
        || typeof answer.token !== "string" || !answer.token) {
      const reason = typeof answer?.message === "string" ? answer.message : "no pairing in the answer";
      throw new CompanionError({ code: "pairing_failed", message: reason });
    }
    const pairing = { port: answer.port, token: answer.token };
    await settings.setCompanion(pairing);
    return pairing;
  }

  // Checks the pasted token against the companion before keeping it: the handshake proves the
  // server holds this token (so a wrong token never reaches a port squatter either), then
  // GET /status with it must succeed.
  async function pairManual(port, token) {
    const cleanToken = typeof token === "string" ? token.trim() : "";
    if (!isValidPort(port) || !cleanToken || /\s/.test(cleanToken)) {
      throw new CompanionError({ code: "bad_request", message: "A port and a token are needed" });
    }
    const pairing = { port, token: cleanToken };
    try {
      await getClient().requestWith(pairing, "GET", "/status");
    } catch (error) {
      if (error.code === "impostor") {
        // Whoever answers on this port does not hold this token: for a person pasting a token
        // that almost always means the token or the port is wrong.
        throw new CompanionError({
          code: "unauthorized", message: "The companion on this port did not accept this token",
        });
      }
      throw error;
    }
    await settings.setCompanion(pairing);
    return pairing;
  }

  // For the client's 401 / failed-handshake path: a fresh pairing, or null.
  async function repair() {
    try {
      return await pairNative();
    } catch {
      return null;
    }
  }

  return { pairNative, pairManual, repair };
}
