import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, it } from "node:test";

import {
  CompanionError, constantTimeEqual, createClient, errorFromResponse, handshakeMessage,
  hmacSha256Hex,
} from "../lib/client.js";
import { createFakeCompanion, errorJson, proofFor } from "./helpers/fake_companion.js";
import { fakeStorageArea } from "./helpers/fake_chrome.js";

function clientFor(companion, options = {}) {
  const session = options.sessionArea ?? fakeStorageArea();
  let pairing = options.pairing === undefined
    ? { port: companion.port, token: companion.token } : options.pairing;
  const client = createClient({
    fetch: companion.fetch,
    crypto: webcrypto,
    getPairing: async () => pairing,
    repair: options.repair ?? null,
    sessionArea: session,
    timeoutMs: options.timeoutMs ?? 5000,
    captureTimeoutMs: options.captureTimeoutMs ?? 30000,
  });
  return { client, session, setPairing: (p) => { pairing = p; } };
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof CompanionError, `not a CompanionError: ${error}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe("handshake", () => {
  it("matches the companion's proof (HMAC-SHA256 of the port and challenge, keyed by the token)", async () => {
    const challenge = "ab".repeat(32);
    const ours = await hmacSha256Hex(webcrypto.subtle, "tok", handshakeMessage(47290, challenge));
    assert.equal(ours, proofFor("tok", 47290, challenge));
    assert.match(ours, /^[0-9a-f]{64}$/);
  });

  it("accepts the real companion, sends no token with the handshake, and remembers it in storage.session", async () => {
    const companion = createFakeCompanion();
    const { client, session } = clientFor(companion);
    const status = await client.status();
    assert.equal(status.version, "0.1.0");
    const [handshake, statusRequest] = companion.requests;
    assert.equal(handshake.path, "/api/v1/handshake");
    assert.equal(handshake.headers.authorization, undefined);
    assert.equal(handshake.headers["content-type"], "application/json");
    assert.match(handshake.body.challenge, /^[0-9a-f]{64}$/);
    assert.equal(statusRequest.headers.authorization, `Bearer ${companion.token}`);

    const keys = Object.keys(session.data);
    assert.equal(keys.length, 1);
    assert.match(keys[0], /^handshake:47290:[0-9a-f]{64}$/);
    assert.ok(!keys[0].includes(companion.token), "the token itself is not a storage key");

    await client.status();
    assert.equal(companion.requests.filter((r) => r.path === "/api/v1/handshake").length, 1,
      "one handshake per (port, token) per session");
  });

  it("uses a fresh challenge each time", async () => {
    const companion = createFakeCompanion();
    await clientFor(companion).client.status();
    await clientFor(companion).client.status();
    const [a, b] = companion.requests.filter((r) => r.path === "/api/v1/handshake");
    assert.notEqual(a.body.challenge, b.body.challenge);
  });

  it("runs again for another token on the same port", async () => {
    const companion = createFakeCompanion();
    const { client, session, setPairing } = clientFor(companion);
    await client.status();
    companion.token = "rotated";
    setPairing({ port: companion.port, token: "rotated" });
    await client.status();
    assert.equal(Object.keys(session.data).length, 2);
  });

  it("refuses an impostor: wrong proof -> impostor, no token and no capture sent", async () => {
    const companion = createFakeCompanion({ proof: () => "0".repeat(64) });
    const { client, session } = clientFor(companion);
    await rejectsWith(client.capture({ url: "https://x.com/taro", kind: "auto", html: "<html>" }),
      "impostor");
    assert.deepEqual(companion.tokenRequests(), []);
    assert.deepEqual(companion.captures, []);
    assert.deepEqual(session.data, {});
  });

  it("refuses a server that proves knowledge of another port (a relayed question)", async () => {
    const companion = createFakeCompanion();
    companion.proof = (challenge) => proofFor(companion.token, companion.port + 1, challenge);
    await rejectsWith(clientFor(companion).client.status(), "impostor");
    assert.deepEqual(companion.tokenRequests(), []);
  });

  it("treats a server without the handshake route (404) or with a broken answer as an impostor", async () => {
    for (const answer of [
      () => errorJson(404, "not_found", "No such resource."),
      () => new Response("<html>hello</html>", { status: 200 }),
      () => new Response(JSON.stringify({ proof: 42 }), { status: 200 }),
    ]) {
      const companion = createFakeCompanion();
      companion.routes["POST /api/v1/handshake"] = answer;
      await rejectsWith(clientFor(companion).client.lookup("https://x.com/taro"), "impostor");
      assert.deepEqual(companion.tokenRequests(), []);
    }
  });

  it("says offline, not impostor, when nothing listens", async () => {
    const companion = createFakeCompanion({ running: false });
    await rejectsWith(clientFor(companion).client.status(), "offline");
  });

  it("compares proofs whole", () => {
    assert.ok(constantTimeEqual("abc", "abc"));
    assert.ok(!constantTimeEqual("abc", "abd"));
    assert.ok(!constantTimeEqual("abc", "abcd"));
    assert.ok(!constantTimeEqual(undefined, "abc"));
  });
});

describe("requests", () => {
  it("sends JSON bodies as strings with Content-Type application/json to 127.0.0.1", async () => {
    const companion = createFakeCompanion();
    const seen = [];
    const spy = async (url, init) => { seen.push({ url: String(url), init }); return companion.fetch(url, init); };
    const client = createClient({
      fetch: spy, crypto: webcrypto, getPairing: async () => ({ port: 47290, token: "the-token" }),
    });
    companion.addContact("https://x.com/taro");
    await client.addNote(1, "会った");
    const note = seen.find((s) => s.url.endsWith("/notes"));
    assert.equal(note.url, "http://127.0.0.1:47290/api/v1/contacts/1/notes");
    assert.equal(typeof note.init.body, "string", "a string body gets a Content-Length, never chunked");
    assert.equal(note.init.headers["Content-Type"], "application/json");
    assert.equal(note.init.credentials, "omit");
    assert.deepEqual(JSON.parse(note.init.body), { body: "会った" });
  });

  it("encodes the looked-up URL", async () => {
    const companion = createFakeCompanion();
    companion.addContact("https://x.com/taro?a=1&b=2");
    const answer = await clientFor(companion).client.lookup("https://x.com/taro?a=1&b=2");
    assert.equal(answer.known, true);
  });

  it("is not_paired without a pairing, and sends nothing", async () => {
    const companion = createFakeCompanion();
    await rejectsWith(clientFor(companion, { pairing: null }).client.status(), "not_paired");
    assert.deepEqual(companion.requests, []);
  });
});

describe("timeouts", () => {
  function hangingFetch(companion) {
    return (url, init) => {
      if (String(url).endsWith("/handshake")) return companion.fetch(url, init);
      return new Promise((resolve, reject) => {
        init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    };
  }

  it("gives up after timeoutMs with code timeout", async () => {
    const companion = createFakeCompanion();
    const client = createClient({
      fetch: hangingFetch(companion), crypto: webcrypto, timeoutMs: 50,
      getPairing: async () => ({ port: 47290, token: "the-token" }),
    });
    const started = Date.now();
    await rejectsWith(client.status(), "timeout");
    assert.ok(Date.now() - started < 2000);
  });

  it("gives captures their own, longer timeout", async () => {
    const companion = createFakeCompanion();
    let signal;
    const client = createClient({
      fetch: (url, init) => {
        if (String(url).endsWith("/captures")) {
          signal = init.signal;
          return new Promise((resolve) => setTimeout(() => resolve(companion.fetch(url, init)), 120));
        }
        return companion.fetch(url, init);
      },
      crypto: webcrypto, timeoutMs: 50, captureTimeoutMs: 1000,
      getPairing: async () => ({ port: 47290, token: "the-token" }),
    });
    const answer = await client.capture({ url: "https://x.com/taro", kind: "profile", html: "<html>" });
    assert.equal(answer.status, "parsed");
    assert.equal(signal.aborted, false);
  });
});

describe("errors", () => {
  it("maps the companion's error JSON", () => {
    const bad = errorFromResponse(400, { error: { status: 400, code: "bad_request",
      message: "url: not an http(s) URL", details: { field: "url" } } });
    assert.equal(bad.code, "bad_request");
    assert.equal(bad.status, 400);
    assert.equal(bad.message, "url: not an http(s) URL");
    assert.deepEqual(bad.details, { field: "url" });
    assert.equal(bad.serverCode, "bad_request");
    assert.equal(errorFromResponse(401, null).code, "unauthorized");
    assert.equal(errorFromResponse(413, { error: { code: "payload_too_large" } }).code, "too_large");
    assert.equal(errorFromResponse(404, { error: { code: "not_found", message: "No such contact." } }).code, "bad_request");
    assert.equal(errorFromResponse(500, { error: { code: "internal_error" } }).code, "server_error");
    assert.equal(errorFromResponse(503, "not json").message, "HTTP 503");
  });

  it("raises them from live answers", async () => {
    const companion = createFakeCompanion();
    const { client } = clientFor(companion);
    await rejectsWith(client.addNote(77, "x"), "bad_request");
    companion.routes["POST /api/v1/captures"] = () => errorJson(413, "payload_too_large", "too big", { limit: 10 });
    await rejectsWith(client.capture({ url: "https://x.com/a", kind: "auto", html: "x" }), "too_large");
    companion.routes["GET /api/v1/status"] = () => errorJson(500, "internal_error", "boom");
    await rejectsWith(client.status(), "server_error");
  });
});

describe("401: re-pair once, then retry once", () => {
  it("retries with the new pairing after a 401", async () => {
    const companion = createFakeCompanion();
    let repairs = 0;
    const { client } = clientFor(companion, {
      repair: async () => { repairs += 1; return { port: 47290, token: "the-token" }; },
    });
    // The companion answers 401 once (say, its token was just rotated), then accepts.
    let calls = 0;
    companion.routes["GET /api/v1/status"] = () => {
      calls += 1;
      if (calls === 1) return errorJson(401, "unauthorized", "A bearer token is required.");
      return new Response(JSON.stringify({ version: "0.1.0" }), { status: 200 });
    };
    const status = await client.status();
    assert.equal(status.version, "0.1.0");
    assert.equal(repairs, 1);
    assert.equal(calls, 2);
  });

  it("gives up after one retry", async () => {
    const companion = createFakeCompanion();
    companion.routes["GET /api/v1/status"] = () => errorJson(401, "unauthorized", "no");
    let repairs = 0;
    const { client } = clientFor(companion, {
      repair: async () => { repairs += 1; return { port: 47290, token: "the-token" }; },
    });
    await rejectsWith(client.status(), "unauthorized");
    assert.equal(repairs, 1);
    assert.equal(companion.requests.filter((r) => r.path === "/api/v1/status").length, 2);
  });

  it("stays unauthorized when re-pairing is not possible", async () => {
    const companion = createFakeCompanion();
    companion.routes["GET /api/v1/status"] = () => errorJson(401, "unauthorized", "no");
    const { client } = clientFor(companion, { repair: async () => { throw new Error("no host"); } });
    await rejectsWith(client.status(), "unauthorized");
    assert.equal(companion.requests.filter((r) => r.path === "/api/v1/status").length, 1);
  });

  it("re-pairs when the stored token no longer passes the handshake (the token was rotated)", async () => {
    const companion = createFakeCompanion({ token: "rotated" });
    const { client, setPairing } = clientFor(companion, {
      pairing: { port: 47290, token: "stale" },
      repair: async () => {
        const fresh = { port: 47290, token: "rotated" };
        setPairing(fresh);
        return fresh;
      },
    });
    assert.equal((await client.status()).version, "0.1.0");
    assert.deepEqual(companion.tokenRequests().map((r) => r.headers.authorization), ["Bearer rotated"],
      "the stale token was never sent");
  });
});
