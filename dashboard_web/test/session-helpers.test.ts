import { describe, expect, it } from "vitest";
import { ApiProblem, toProblem } from "@/api/problem";
import { readCsrfToken } from "@/api/session";
import { safeNext } from "@/lib/schemas/auth";

describe("safeNext", () => {
  it("keeps a path inside the app", () => {
    expect(safeNext("?next=%2Fbots%2Fedit%2F%3Fid%3D1")).toBe("/bots/edit/?id=1");
  });
  it.each(["?next=https://evil.example", "?next=//evil.example", "?next=/\\evil", ""])("refuses %s", (search) => {
    expect(safeNext(search)).toBe("/");
  });
});

describe("readCsrfToken", () => {
  it("reads the CSRF cookie among others", () => {
    expect(readCsrfToken("a=1; shopbot_csrf=abc%3D; b=2")).toBe("abc=");
  });
  it("is null without it", () => {
    expect(readCsrfToken("a=1")).toBeNull();
  });
});

describe("ApiProblem", () => {
  it("speaks plainly for known codes and keeps the server's detail otherwise", () => {
    expect(toProblem(401, { code: "invalid_credentials", detail: "x" }).friendly).toMatch(/do not match/);
    expect(toProblem(409, { code: "store_exists", detail: "This store is already connected." }).friendly).toBe(
      "This store is already connected.",
    );
  });
  it("exposes field errors", () => {
    const problem = new ApiProblem(422, { code: "validation_failed", errors: [{ field: "body.email", message: "bad" }] });
    expect(problem.fieldErrors).toHaveLength(1);
  });
});
