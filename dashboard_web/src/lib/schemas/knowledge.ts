// Knowledge forms and file reading rules (zod/mini: the first-load budget). The server
// holds a body to 200 KB of UTF-8 (413 above) and a title to 500 characters.
import { z } from "zod/mini";

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

export const knowledgeSchema = z.object({
  title: z.string().check(
    z.trim(),
    z.minLength(1, "Enter a title."),
    z.maxLength(500, "The title is at most 500 characters."),
  ),
  body: z.string().check(
    z.refine((value) => value.trim().length > 0, "Enter the content."),
    z.refine((value) => utf8Bytes(value) <= MAX_BODY_BYTES, `The content is over ${MAX_BODY_BYTES / 1024} KB. Split it into several documents.`),
  ),
  kind: z.enum(KINDS),
  content_type: z.enum(CONTENT_TYPES),
});
export type KnowledgeValues = z.infer<typeof knowledgeSchema>;

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
