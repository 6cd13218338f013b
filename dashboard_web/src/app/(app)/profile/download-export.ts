// "Download all data": the access token travels in a header, so a plain link cannot
// download the archive; it is fetched through the authenticated fetch as a blob and saved
// from an object URL, like the conversations CSV (features/conversations/export.ts).
import { authedFetch } from "@/api/client";
import { toProblem } from "@/api/problem";
import { filenameFromDisposition } from "@/features/conversations/export";

export const EXPORT_FALLBACK_NAME = "shopbot-export.zip";

export async function downloadAllData(): Promise<string> {
  const url = `${window.location.origin}/v1/privacy/export`;
  const response = await authedFetch(new Request(url, { headers: { Accept: "application/zip" } }));
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw toProblem(response.status, body);
  }
  const blob = await response.blob();
  const filename = filenameFromDisposition(response.headers.get("Content-Disposition"), EXPORT_FALLBACK_NAME);
  const objectUrl = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  return filename;
}
