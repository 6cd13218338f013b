// The knowledge form's schema (zod/mini: the first-load budget). The limits and labels it
// uses live in features/knowledge/limits.ts, free of zod, for the pages' first load.
import { z } from "zod/mini";
import { CONTENT_TYPES, KINDS, MAX_BODY_BYTES, utf8Bytes } from "@/features/knowledge/limits";

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
