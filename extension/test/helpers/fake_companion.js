// A fake companion behind a fake fetch: the same routes, error JSON and handshake as the real
// one (docs/API.md, companion/api/handshake.py), with every request recorded. Extension URLs
// (chrome-extension://<id>/...) are served from this folder, as the browser would.

import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const EXTENSION_ORIGIN = "chrome-extension://bddjgpkhpndbfbomeobifkpedemfoeno/";

export async function loadAdaptersFixture() {
  return JSON.parse(await readFile(path.join(EXTENSION_DIR, "test/fixtures/adapters.json"), "utf8"));
}

function json(status, body) {
  return new Response(JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json" },
  });
}

export function errorJson(status, code, message, details) {
  const error = { status, code, message };
  if (details) error.details = details;
  return json(status, { error });
}

export function proofFor(token, port, challenge) {
  return createHmac("sha256", token).update(`goen-handshake-v1:${port}:${challenge}`).digest("hex");
}

export function createFakeCompanion({
  port = 47290,
  token = "the-token",
  running = true,
  adapters = null,
  proof = null, // (challenge) => string: answer this instead of the real proof (an impostor)
} = {}) {
  const state = {
    port, token, running, adapters, proof,
    requests: [],
    contacts: new Map(),
    known: new Map(), // url -> contact id
    notes: [],
    captures: [],
    nextId: 1,
    routes: {}, // "METHOD /path" -> (request) => Response, to override a route in a test
  };

  function summary(id) {
    return state.contacts.get(id);
  }

  state.addContact = (url, fields = {}) => {
    const id = state.nextId++;
    const contact = {
      id, display_name: "山田 太郎", reading: "やまだ たろう", headline: "エンジニア",
      organisation: "株式会社サンプル", avatar_url: "https://example.com/taro.jpg",
      identities: [], last_interaction: null, note_count: 0, tags: [], ...fields,
    };
    state.contacts.set(id, contact);
    state.known.set(url, id);
    return contact;
  };

  async function handle(url, init) {
    const headers = Object.fromEntries(
      Object.entries(init.headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
    const body = typeof init.body === "string" ? JSON.parse(init.body) : null;
    const request = { method: init.method || "GET", path: url.pathname, query: url.searchParams,
      headers, body, rawBody: init.body };
    state.requests.push(request);
    const key = `${request.method} ${request.path}`;
    if (state.routes[key]) return state.routes[key](request);

    if (key === "POST /api/v1/handshake") {
      const challenge = body?.challenge;
      if (typeof challenge !== "string" || !/^[0-9a-f]{64}$/.test(challenge)) {
        return errorJson(400, "bad_request", "challenge must be 64 lowercase hex", { field: "challenge" });
      }
      const answer = state.proof ? state.proof(challenge) : proofFor(state.token, state.port, challenge);
      return json(200, { proof: answer });
    }
    if (headers.authorization !== `Bearer ${state.token}`) {
      return errorJson(401, "unauthorized", "A bearer token is required.");
    }
    if (key === "GET /api/v1/status") {
      return json(200, { version: "0.1.0", schema_version: 3, data_dir: "/data" });
    }
    if (key === "GET /api/v1/adapters") {
      return json(200, state.adapters ?? await loadAdaptersFixture());
    }
    if (key === "GET /api/v1/lookup") {
      const target = request.query.get("url");
      const id = state.known.get(target);
      return json(200, {
        known: Boolean(id), contact: id ? summary(id) : null, canonical_url: target, platform: "x",
      });
    }
    if (key === "POST /api/v1/captures") {
      state.captures.push(body);
      if (body.kind === "thread") {
        const before = state.captures.filter((c) => c.url === body.url).length;
        return json(before > 1 ? 200 : 201, {
          capture_id: state.captures.length, status: "parsed", kind: "thread", adapter: "x",
          contact: null, new_interactions: before > 1 ? 0 : 3, duplicate: before > 1, warnings: [],
        });
      }
      const id = state.known.get(body.url) ?? state.addContact(body.url).id;
      return json(201, {
        capture_id: state.captures.length, status: "parsed", kind: "profile", adapter: "x",
        contact: summary(id), new_interactions: 0, duplicate: false, warnings: [],
      });
    }
    if (key === "POST /api/v1/contacts") {
      const existing = state.known.get(body.url);
      if (existing) return json(200, { contact: summary(existing), created: false });
      const contact = state.addContact(body.url, { display_name: body.display_name ?? "taro" });
      return json(201, { contact, created: true });
    }
    const note = /^\/api\/v1\/contacts\/(\d+)\/notes$/.exec(request.path);
    if (note && request.method === "POST") {
      if (!state.contacts.has(Number(note[1]))) return errorJson(404, "not_found", "No such contact.");
      const saved = { id: state.notes.length + 1, contact_id: Number(note[1]), body: body.body };
      state.notes.push(saved);
      return json(201, saved);
    }
    return errorJson(404, "not_found", "No such resource.");
  }

  async function fetch(input, init = {}) {
    const url = new URL(String(input));
    if (String(input).startsWith(EXTENSION_ORIGIN)) {
      const file = path.join(EXTENSION_DIR, url.pathname);
      return new Response(await readFile(file, "utf8"), { status: 200 });
    }
    if (init.signal?.aborted) throw new DOMException("aborted", "AbortError");
    if (url.hostname !== "127.0.0.1" || Number(url.port) !== state.port || !state.running) {
      throw new TypeError("Failed to fetch"); // what fetch says when nothing listens
    }
    return handle(url, init);
  }

  state.fetch = fetch;
  state.tokenRequests = () => state.requests.filter((r) => r.headers.authorization);
  return state;
}
