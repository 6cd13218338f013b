// "Export CSV": the access token travels in a header, so a plain link cannot download the
// file; it is fetched through the authenticated fetch and saved from an object URL.
import { authedFetch } from "@/api/client";
import { toProblem } from "@/api/problem";
import type { FilterQuery } from "./filters";

/** The filename in a Content-Disposition header (RFC 6266: `filename*` wins over
 * `filename`); the fallback when there is none or it names a path. */
export function filenameFromDisposition(header: string | null, fallback = "conversations.csv"): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  let name: string | null = null;
  if (extended) {
    try {
      name = decodeURIComponent((extended[2] ?? "").trim().replace(/^"|"$/g, ""));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]+)/i.exec(header);
    if (plain) name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : (plain[1] ?? null);
  }
  if (!name) return fallback;
  const base = name.split(/[\\/]/).pop()?.trim();
  return base ? base : fallback;
}

export function exportUrl(query: FilterQuery, origin: string): string {
  const params = new URLSearchParams({ format: "csv" });
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return `${origin}/v1/conversations/export?${params.toString()}`;
}

export async function downloadConversationsCsv(query: FilterQuery): Promise<string> {
  const response = await authedFetch(new Request(exportUrl(query, window.location.origin), { headers: { Accept: "text/csv" } }));
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw toProblem(response.status, body);
  }
  const blob = await response.blob();
  const filename = filenameFromDisposition(response.headers.get("Content-Disposition"));
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
