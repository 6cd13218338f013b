// Reads an uploaded text file in the browser: the document body is plain text, so the file
// never travels as a file, only as the content the form sends.
import { checkUploadFile, type ContentType } from "@/lib/schemas/knowledge";

export type ReadFile = { ok: true; title: string; body: string; contentType: ContentType } | { ok: false; message: string };

export async function readKnowledgeFile(file: File): Promise<ReadFile> {
  const check = checkUploadFile(file);
  if (!check.ok) return check;
  try {
    const body = await file.text();
    if (body.includes("\u0000")) return { ok: false, message: "This file is not text. Save it as .txt, .md, .html or .csv first." };
    return { ok: true, title: check.title, body, contentType: check.contentType };
  } catch {
    return { ok: false, message: "The file could not be read. Try again or paste its text into Content." };
  }
}
