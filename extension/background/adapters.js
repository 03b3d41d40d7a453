// The companion's adapter list (GET /api/v1/adapters), cached in storage.local so the badge can
// classify pages without asking every time. The popup asks for a fresh copy (maxAgeMs 0).

export const ADAPTERS_MAX_AGE_MS = 60 * 60 * 1000;

export function createAdapterCache({ settings, getClient, now = () => Date.now() }) {
  return async function getAdapters({ maxAgeMs = ADAPTERS_MAX_AGE_MS } = {}) {
    const cached = await settings.getAdapters();
    if (cached && maxAgeMs > 0 && now() - cached.fetched_at < maxAgeMs) return cached.adapters;
    const answer = await getClient().adapters();
    const adapters = Array.isArray(answer?.adapters) ? answer.adapters : [];
    await settings.setAdapters(adapters, now());
    return adapters;
  };
}
