// Knowledge facts without the form library, so the table and the page can use them
// without putting zod in the first load. The server's limits: a body of at most 200 KB
// of UTF-8 (413 above), a title of at most 500 characters.

export const MAX_BODY_BYTES = 200 * 1024;
export const KINDS = ["faq", "policy", "page", "other"] as const;
export const CONTENT_TYPES = ["text", "markdown", "html"] as const;
export type Kind = (typeof KINDS)[number];
export type ContentType = (typeof CONTENT_TYPES)[number];

export const KIND_LABELS: Record<Kind, string> = { faq: "FAQ", policy: "Policy", page: "Page", other: "Other" };
export const CONTENT_TYPE_LABELS: Record<ContentType, string> = { text: "Plain text", markdown: "Markdown", html: "HTML" };

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

const EXTENSIONS: Record<string, ContentType> = { txt: "text", csv: "text", md: "markdown", markdown: "markdown", html: "html", htm: "html" };
export const ACCEPTED_FILES = ".txt,.md,.markdown,.html,.htm,.csv";

export type UploadCheck = { ok: true; contentType: ContentType; title: string } | { ok: false; message: string };

/** Whether a file may be read into a document: its type by extension, its size before
 * reading (bytes on disk are the UTF-8 bytes the server counts for text files). */
export function checkUploadFile(file: { name: string; size: number }): UploadCheck {
  const dot = file.name.lastIndexOf(".");
  const extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
  const contentType = EXTENSIONS[extension];
  if (!contentType) {
    return { ok: false, message: "Only text files can be added: .txt, .md, .html or .csv. Copy the text of other files into Content." };
  }
  if (file.size === 0) return { ok: false, message: "This file is empty." };
  if (file.size > MAX_BODY_BYTES) {
    return { ok: false, message: `This file is ${formatBytes(file.size)}; a document holds at most ${MAX_BODY_BYTES / 1024} KB. Split it into smaller files.` };
  }
  return { ok: true, contentType, title: dot > 0 ? file.name.slice(0, dot) : file.name };
}
