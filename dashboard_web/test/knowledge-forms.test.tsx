import { describe, expect, it } from "vitest";
import { readKnowledgeFile } from "@/features/knowledge/file-reader";
import { checkUploadFile, formatBytes, MAX_BODY_BYTES } from "@/features/knowledge/limits";
import { knowledgeSchema } from "@/lib/schemas/knowledge";

const valid = { title: "Returns", body: "30 days.", kind: "policy" as const, content_type: "text" as const };

describe("knowledgeSchema", () => {
  it("accepts a document", () => {
    expect(knowledgeSchema.parse(valid)).toEqual(valid);
  });
  it("needs a title and content", () => {
    const result = knowledgeSchema.safeParse({ ...valid, title: " ", body: "   " });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["Enter a title.", "Enter the content."]);
  });
  it("counts the content in UTF-8 bytes like the server (200 KB)", () => {
    expect(knowledgeSchema.safeParse({ ...valid, body: "a".repeat(MAX_BODY_BYTES) }).success).toBe(true);
    // "é" is two bytes: half as many characters already reach the limit.
    expect(knowledgeSchema.safeParse({ ...valid, body: "é".repeat(MAX_BODY_BYTES / 2 + 1) }).success).toBe(false);
  });
  it("limits the title to 500 characters", () => {
    expect(knowledgeSchema.safeParse({ ...valid, title: "t".repeat(501) }).success).toBe(false);
  });
});

describe("uploads", () => {
  it("maps extensions to formats and the file name to a title", () => {
    expect(checkUploadFile({ name: "Shipping.MD", size: 10 })).toEqual({ ok: true, contentType: "markdown", title: "Shipping" });
    expect(checkUploadFile({ name: "faq.html", size: 10 })).toMatchObject({ contentType: "html" });
    expect(checkUploadFile({ name: "sizes.csv", size: 10 })).toMatchObject({ contentType: "text" });
  });
  it("refuses other types, empty and oversized files with a reason", () => {
    expect(checkUploadFile({ name: "catalogue.pdf", size: 10 })).toMatchObject({ ok: false, message: expect.stringMatching(/Only text files/) });
    expect(checkUploadFile({ name: "empty.txt", size: 0 })).toMatchObject({ ok: false });
    expect(checkUploadFile({ name: "big.txt", size: MAX_BODY_BYTES + 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/at most 200 KB/) });
  });
  it("reads a text file in the browser", async () => {
    const read = await readKnowledgeFile(new File(["# Returns\n30 days"], "returns.md", { type: "text/markdown" }));
    expect(read).toEqual({ ok: true, title: "returns", body: "# Returns\n30 days", contentType: "markdown" });
  });
  it("refuses a binary file with a text extension", async () => {
    const read = await readKnowledgeFile(new File([new Uint8Array([0x50, 0x00, 0x4b])], "data.txt"));
    expect(read.ok).toBe(false);
  });
  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
  });
});
