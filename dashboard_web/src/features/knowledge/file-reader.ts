// Reads an uploaded text file in the browser: the document body is plain text, so the file
// never travels as a file, only as the content the form sends.
import { checkUploadFile, type ContentType } from "./limits";

export type ReadFile = { ok: true; title: string; body: string; contentType: ContentType } | { ok: false; message: string };

export async function readKnowledgeFile(file: File): Promise<ReadFile> {
  const check = checkUploadFile(file);
  if (!check.ok) return check;
  try {
    const body = await readAsText(file);
    if (body.includes("\u0000")) return { ok: false, message: "This file is not text. Save it as .txt, .md, .html or .csv first." };
    return { ok: true, title: check.title, body, contentType: check.contentType };
  } catch {
    return { ok: false, message: "The file could not be read. Try again or paste its text into Content." };
  }
}

/** FileReader rather than Blob.text(): the same result, in every browser the dashboard supports. */
function readAsText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsText(file, "utf-8");
  });
}
