import { describe, expect, it } from "vitest";
import { cn } from "@/lib/utils";

describe("cn", () => {
  it.each([
    ["flex items-center gap-2 p-5 pt-0", "flex-col items-stretch", "flex gap-2 p-5 pt-0 flex-col items-stretch"],
    ["inline-flex justify-center h-10 px-4", "w-full justify-start", "inline-flex h-10 px-4 w-full justify-start"],
    ["p-5 pt-0", "p-3", "p-3"],
    ["text-sm text-muted-foreground", "text-destructive", "text-sm text-destructive"],
    ["text-sm font-medium", "text-lg", "font-medium text-lg"],
    ["border border-input rounded-md", "border-destructive rounded-lg", "border border-destructive rounded-lg"],
    ["hidden lg:block", "block", "lg:block block"],
  ])("%s + %s", (base, override, expected) => {
    expect(cn(base, override)).toBe(expected);
  });
});
