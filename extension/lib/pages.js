// Which pages can be saved, and which of them are conversations, from the companion's
// GET /api/v1/adapters answer (docs/API.md). The extension keeps no site patterns of its own:
// an adapter's url_patterns and thread_url_patterns are regular expressions valid in both
// Python and JavaScript. Site adapters come first and `generic` last, so the first adapter whose
// patterns match is the one that will read the page.

const compiled = new Map();

function compile(pattern) {
  if (!compiled.has(pattern)) {
    let regex = null;
    try {
      regex = new RegExp(pattern);
    } catch {
      regex = null; // a pattern JavaScript cannot read matches nothing rather than breaking all
    }
    compiled.set(pattern, regex);
  }
  return compiled.get(pattern);
}

function matchesAny(patterns, url) {
  if (!Array.isArray(patterns)) return false;
  return patterns.some((pattern) => typeof pattern === "string" && compile(pattern)?.test(url));
}

export function isWebUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url);
}

// -> {adapter, label, kind: "profile" | "thread"} or null when no adapter reads this page.
export function classifyPage(url, adaptersAnswer) {
  if (!isWebUrl(url)) return null;
  const adapters = Array.isArray(adaptersAnswer) ? adaptersAnswer : adaptersAnswer?.adapters;
  if (!Array.isArray(adapters)) return null;
  for (const adapter of adapters) {
    if (!adapter || typeof adapter.id !== "string") continue;
    const page = { adapter: adapter.id, label: adapter.label ?? adapter.id };
    if (matchesAny(adapter.thread_url_patterns, url)) return { ...page, kind: "thread" };
    if (matchesAny(adapter.url_patterns, url)) return { ...page, kind: "profile" };
  }
  return null;
}

// The kind a capture posts: the popup's button says it; "auto" (menu, shortcut) becomes
// "thread" on a conversation page and stays "auto" elsewhere for the companion to decide.
export function captureKind(requested, page) {
  if (requested === "profile" || requested === "thread") return requested;
  return page?.kind === "thread" ? "thread" : "auto";
}
