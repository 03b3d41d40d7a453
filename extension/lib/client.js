// CompanionClient: the one way the extension talks to the companion (docs/API.md).
//
// - http://127.0.0.1:<port>/api/v1/... with `Authorization: Bearer <token>`; JSON bodies are
//   strings, so fetch sends a Content-Length (the companion answers 411 to chunked bodies).
// - One error type, CompanionError {code, status, message}, codes from docs/EXTENSION.md.
// - A timeout on every request (AbortController): 5 s, captures 30 s.
// - Port squatting defence: before the token first goes to a (port, token) pair in this browser
//   session, POST /api/v1/handshake with a random challenge and no token; the server must answer
//   hex(HMAC-SHA256(token, "goen-handshake-v1:<port>:<challenge>")). Anything else is an
//   `impostor`, and it gets neither the token nor a capture. Success is remembered in
//   storage.session (cleared when the browser closes), keyed by port and a hash of the token.
// - A 401 (or a failed handshake, which is what a changed token looks like) triggers one re-pair
//   through `repair()` and one retry.
//
// No chrome.* here: everything the client needs is passed in, so node tests drive it.

export const DEFAULT_TIMEOUT_MS = 5000;
export const CAPTURE_TIMEOUT_MS = 30000;
export const HANDSHAKE_CONTEXT = "goen-handshake-v1";

export class CompanionError extends Error {
  constructor({ code, status = null, message = "", details = null, serverCode = null }) {
    super(message || code);
    this.name = "CompanionError";
    this.code = code;
    this.status = status;
    this.details = details;
    this.serverCode = serverCode;
  }

  toJSON() {
    return { code: this.code, status: this.status, message: this.message };
  }
}

// The companion's error JSON is {"error": {"status", "code", "message", "details"}}.
export function errorFromResponse(status, body) {
  const error = body && typeof body === "object" ? body.error : null;
  const serverCode = typeof error?.code === "string" ? error.code : null;
  const message = typeof error?.message === "string" ? error.message : `HTTP ${status}`;
  const details = error && typeof error.details === "object" ? error.details : null;
  let code;
  if (status === 401) code = "unauthorized";
  else if (status === 413) code = "too_large";
  else if (status >= 500) code = "server_error";
  else code = "bad_request";
  return new CompanionError({ code, status, message, details, serverCode });
}

const encoder = new TextEncoder();

export function toHex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function hmacSha256Hex(subtle, key, message) {
  const cryptoKey = await subtle.importKey(
    "raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
}

export async function sha256Hex(subtle, text) {
  return toHex(await subtle.digest("SHA-256", encoder.encode(text)));
}

// Compares every character whatever the first difference, so the time taken says nothing about
// how much of a guess was right.
export function constantTimeEqual(a, b) {
  if (typeof a !== "string" || typeof b !== "string") return false;
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

export function handshakeMessage(port, challenge) {
  return `${HANDSHAKE_CONTEXT}:${port}:${challenge}`;
}

// A session store over storage.session; a Map where that area does not exist.
function sessionStoreFrom(area) {
  if (area && typeof area.get === "function" && typeof area.set === "function") {
    return {
      async has(key) { return Boolean((await area.get(key))?.[key]); },
      async add(key) { await area.set({ [key]: Date.now() }); },
    };
  }
  const seen = new Set();
  return { async has(key) { return seen.has(key); }, async add(key) { seen.add(key); } };
}

export function createClient({
  fetch,
  crypto,
  getPairing,
  repair = null,
  sessionArea = null,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  captureTimeoutMs = CAPTURE_TIMEOUT_MS,
}) {
  const session = sessionStoreFrom(sessionArea);
  const handshakesInFlight = new Map();

  // One HTTP exchange. `token` null sends no Authorization header (the handshake).
  async function send(port, method, path, { token = null, body, timeout = timeoutMs } = {}) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const init = {
      method, headers, cache: "no-store", credentials: "omit", redirect: "error",
    };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const controller = new AbortController();
    init.signal = controller.signal;
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    let text;
    try {
      response = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, init);
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        throw new CompanionError({ code: "timeout", message: `No answer within ${timeout} ms` });
      }
      throw new CompanionError({ code: "offline", message: String(error?.message || error) });
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) throw errorFromResponse(response.status, data);
    if (text && data === null) {
      throw new CompanionError({
        code: "server_error", status: response.status, message: "The answer was not JSON",
      });
    }
    return data ?? {};
  }

  async function handshakeKey({ port, token }) {
    return `handshake:${port}:${await sha256Hex(crypto.subtle, token)}`;
  }

  function randomChallenge() {
    return toHex(crypto.getRandomValues(new Uint8Array(32)));
  }

  async function runHandshake(pairing, key) {
    const { port, token } = pairing;
    const challenge = randomChallenge();
    let answer;
    try {
      answer = await send(port, "POST", "/handshake", { body: { challenge } });
    } catch (error) {
      // Nothing listening or no answer in time is not proof of an impostor; any other answer
      // (404 from an older or foreign server, 401, a 500) is simply not the proof.
      if (error.code === "offline" || error.code === "timeout") throw error;
      throw impostor(port);
    }
    const expected = await hmacSha256Hex(crypto.subtle, token, handshakeMessage(port, challenge));
    if (!constantTimeEqual(answer?.proof, expected)) throw impostor(port);
    await session.add(key);
  }

  function impostor(port) {
    return new CompanionError({
      code: "impostor",
      message: `The program on port ${port} could not prove it is the paired Goen companion`,
    });
  }

  // Checks the server on pairing.port once per browser session before it sees the token.
  async function verifyServer(pairing) {
    const key = await handshakeKey(pairing);
    if (await session.has(key)) return;
    let running = handshakesInFlight.get(key);
    if (!running) {
      running = runHandshake(pairing, key).finally(() => handshakesInFlight.delete(key));
      handshakesInFlight.set(key, running);
    }
    await running;
  }

  async function requestWith(pairing, method, path, options = {}) {
    await verifyServer(pairing);
    return send(pairing.port, method, path, { ...options, token: pairing.token });
  }

  async function tryRepair() {
    if (!repair) return null;
    try {
      return (await repair()) || null;
    } catch {
      return null;
    }
  }

  async function request(method, path, options = {}) {
    const pairing = await getPairing();
    if (!pairing) {
      throw new CompanionError({ code: "not_paired", message: "The extension is not paired" });
    }
    try {
      return await requestWith(pairing, method, path, options);
    } catch (error) {
      const canRepair = error instanceof CompanionError
        && (error.code === "unauthorized" || error.code === "impostor");
      if (!canRepair) throw error;
      const fresh = await tryRepair();
      if (!fresh) throw error;
      return requestWith(fresh, method, path, options);
    }
  }

  return {
    request,
    requestWith,
    verifyServer,
    status: () => request("GET", "/status"),
    adapters: () => request("GET", "/adapters"),
    lookup: (url) => request("GET", `/lookup?url=${encodeURIComponent(url)}`),
    capture: (payload) => request("POST", "/captures", {
      body: payload, timeout: captureTimeoutMs,
    }),
    saveLink: (url, displayName) => {
      const body = { url };
      if (displayName) body.display_name = displayName;
      return request("POST", "/contacts", { body });
    },
    addNote: (contactId, body) => request("POST", `/contacts/${Number(contactId)}/notes`, {
      body: { body },
    }),
  };
}
