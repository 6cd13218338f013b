// Does a bot's allow-list cover a store's address? The same rule as the widget API
// (api/origins.py): an exact origin, or a wildcard `https://*.example.com` for subdomains
// (same scheme and port, never the apex).

type Parsed = { scheme: string; host: string; port: string };

function parse(value: string): Parsed | null {
  try {
    const url = new URL(value.trim().replace("://*.", "://wildcard-label."));
    const port = url.port || "";
    return { scheme: url.protocol, host: url.hostname.toLowerCase(), port };
  } catch {
    return null;
  }
}

/** The origin (scheme://host[:port]) of a URL such as a store's base URL. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  const request = parse(origin);
  if (!request) return false;
  return allowed.some((entry) => {
    const wildcard = entry.includes("://*.");
    const pattern = parse(entry);
    if (!pattern || pattern.scheme !== request.scheme || pattern.port !== request.port) return false;
    if (!wildcard) return pattern.host === request.host;
    const suffix = pattern.host.slice("wildcard-label".length);
    return request.host.endsWith(suffix) && request.host.length > suffix.length;
  });
}
