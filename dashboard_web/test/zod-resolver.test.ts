import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { zodResolver } from "@/lib/zod-resolver";

const schema = z.object({
  email: z.email("Enter an email."),
  nested: z.object({ colour: z.string().check(z.regex(/^#[0-9a-f]{6}$/i, "Use #rrggbb.")) }),
});

const options = { fields: {}, shouldUseNativeValidation: false } as const;

describe("zodResolver (zod/mini)", () => {
  it("returns the parsed values when valid", async () => {
    const result = await zodResolver(schema)({ email: "a@b.co", nested: { colour: "#112233" } }, undefined, options);
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({ email: "a@b.co", nested: { colour: "#112233" } });
  });

  it("puts each field's first message at its path, nested ones too", async () => {
    const result = await zodResolver(schema)({ email: "nope", nested: { colour: "blue" } }, undefined, options);
    expect(result.values).toEqual({});
    expect(result.errors).toMatchObject({
      email: { message: "Enter an email." },
      nested: { colour: { message: "Use #rrggbb." } },
    });
  });
});
