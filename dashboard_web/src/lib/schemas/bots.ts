// The bot forms' schemas (zod/mini, see auth.ts). Limits mirror dashboard_api/bots/schemas.py
// (BotCreate/BotUpdate and the engine's bounds in openapi.json); the server checks again.
// Number fields are kept as text: empty means "the default", which is what the API's null is.
import { z } from "zod/mini";

export const RATE_SCOPES = ["session", "ip", "bot", "session_create", "interaction"] as const;
export type RateScope = (typeof RATE_SCOPES)[number];

const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const HOST = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1"]);

/** An allow-list entry: https://host[:port] or https://*.example.com, no path. Plain http only
 * for this computer (localhost), so a test page works without exposing shoppers to http. */
export function originProblem(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/\/$/, "");
  const match = /^(https?):\/\/([^/:?#@\s]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return "Enter an address such as https://shop.example.com (no path).";
  const [, scheme, host = "", port] = match;
  if (!HOST.test(host) && !LOOPBACK.has(host)) return "Enter a valid host name, such as shop.example.com.";
  if (host.startsWith("*.") && !host.slice(2).includes(".")) return "A wildcard needs a domain, such as https://*.example.com.";
  if (scheme === "http" && !LOOPBACK.has(host)) return "Use https:// (plain http only for localhost).";
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return "The port must be between 1 and 65535.";
  return null;
}

type Bounds = { min: number; max: number; integer?: boolean; exclusiveMin?: boolean };

/** Empty (the default) or a number within the bounds. */
export function numberProblem(raw: string, { min, max, integer, exclusiveMin }: Bounds): string | null {
  const value = raw.trim();
  if (value === "") return null;
  const number = Number(value);
  const kind = integer ? "a whole number" : "a number";
  const low = exclusiveMin ? `above ${min}` : `from ${min}`;
  const message = `Enter ${kind} ${low} to ${max}, or leave it empty for the default.`;
  if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) return message;
  if ((exclusiveMin ? number <= min : number < min) || number > max) return message;
  return null;
}

const numberText = (bounds: Bounds) =>
  z.string().check(z.refine((value) => numberProblem(value, bounds) === null, { error: (issue) => numberProblem(String(issue.input), bounds) ?? "" }));

export const CONSENT_TEXT_MAX = 500;

const text = (max: number) => z.string().check(z.maxLength(max, `Keep it to ${max} characters or fewer.`));

export const BOUNDS = {
  temperature: { min: 0, max: 2 },
  max_tokens: { min: 1, max: 8192, integer: true },
  timeout_s: { min: 1, max: 120 },
  top_k: { min: 1, max: 20, integer: true },
  candidates: { min: 1, max: 200, integer: true },
  rrf_k: { min: 1, max: 1000, integer: true },
  vector_weight: { min: 0, max: 1 },
  text_weight: { min: 0, max: 1 },
  min_score: { min: 0, max: 1 },
  evidence_per_product: { min: 0, max: 10, integer: true },
  per_minute: { min: 0, max: 1_000_000, exclusiveMin: true },
  burst: { min: 1, max: 1_000_000, integer: true },
} satisfies Record<string, Bounds>;

const rateRule = z
  .object({ per_minute: numberText(BOUNDS.per_minute), burst: numberText(BOUNDS.burst) })
  .check(z.refine((rule) => !(rule.burst.trim() && !rule.per_minute.trim()), { error: "Set the rate per minute as well.", path: ["per_minute"] }));

export const createBotSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Give the bot a name."), z.maxLength(200, "Keep it to 200 characters or fewer.")),
});
export type CreateBotValues = z.infer<typeof createBotSchema>;

export const botFormSchema = z
  .object({
    name: z.string().check(z.refine((v) => v.trim().length > 0, "Give the bot a name."), z.maxLength(200, "Keep it to 200 characters or fewer.")),
    persona: text(2000),
    tone: text(200),
    greeting: text(1000),
    language_policy: z.enum(["match_shopper", "business_language"]),
    custom_instructions: text(8000),
    fallback_message: text(1000),
    theme: z.object({
      primary_color: z.string().check(z.refine((v) => v === "" || HEX_COLOUR.test(v), "Enter a hex colour such as #1f6feb.")),
      position: z.enum(["left", "right"]),
      title: text(60),
      avatar_url: z
        .string()
        .check(z.maxLength(1000, "Keep it to 1000 characters or fewer."), z.refine((v) => v === "" || /^https:\/\/[^\s/]+/.test(v), "Use an https:// image address.")),
    }),
    allowed_origins: z
      .array(z.object({ value: z.string().check(z.refine((v) => originProblem(v) === null, { error: (issue) => originProblem(String(issue.input)) ?? "" })) }))
      .check(z.maxLength(50, "A bot can list at most 50 origins.")),
    llm: z.object({
      provider: z.enum(["platform", "offline", "openai"]),
      model: z.string().check(z.refine((v) => v === "" || /^[A-Za-z0-9._:/@+-]{1,100}$/.test(v), "Enter a model name such as gpt-4o-mini.")),
      temperature: numberText(BOUNDS.temperature),
      max_tokens: numberText(BOUNDS.max_tokens),
      timeout_s: numberText(BOUNDS.timeout_s),
      base_url: z
        .string()
        .check(z.maxLength(500, "Keep it to 500 characters or fewer."), z.refine((v) => v === "" || /^https?:\/\/[^\s/@]+/.test(v), "Enter an http(s):// address.")),
      /** Read-only: the bot already has its own key (the API never returns it). */
      has_api_key: z.boolean(),
      api_key: z.string().check(z.maxLength(500, "Keep it to 500 characters or fewer."), z.refine((v) => v === "" || /^[\x21-\x7e]+$/.test(v), "An API key has no spaces.")),
    }),
    retrieval: z
      .object({
        top_k: numberText(BOUNDS.top_k),
        candidates: numberText(BOUNDS.candidates),
        fusion: z.enum(["", "weighted", "rrf"]),
        rrf_k: numberText(BOUNDS.rrf_k),
        vector_weight: numberText(BOUNDS.vector_weight),
        text_weight: numberText(BOUNDS.text_weight),
        min_score: numberText(BOUNDS.min_score),
        evidence_per_product: numberText(BOUNDS.evidence_per_product),
      })
      .check(
        z.refine((r) => !(r.vector_weight.trim() !== "" && Number(r.vector_weight) === 0 && r.text_weight.trim() !== "" && Number(r.text_weight) === 0), {
          error: "The two weights cannot both be 0.",
          path: ["text_weight"],
        }),
      ),
    rate_limits: z.object({ session: rateRule, ip: rateRule, bot: rateRule, session_create: rateRule, interaction: rateRule }),
    mask_contact_details: z.boolean(),
    consent_required: z.boolean(),
    /** Empty: the server's default wording. */
    consent_text: text(CONSENT_TEXT_MAX),
  })
  .check(
    z.refine((v) => !(v.llm.base_url.trim() && !v.llm.api_key.trim() && !v.llm.has_api_key), {
      error: "Your own endpoint needs your own API key.",
      path: ["llm", "api_key"],
    }),
  );

export type BotFormValues = z.infer<typeof botFormSchema>;
