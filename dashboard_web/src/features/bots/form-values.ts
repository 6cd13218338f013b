// BotOut → the configure form's values, and the form's changes → a BotUpdate PATCH body that
// carries only what changed (the grouped settings merge key by key on the server; null resets
// a key to its default, which is what an emptied field means here).
import type { components } from "@/api/schema";
import { RATE_SCOPES, type BotFormValues } from "@/lib/schemas/bots";

export type Bot = components["schemas"]["BotOut"];
export type BotUpdate = components["schemas"]["BotUpdate"];
type Group = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");
const group = (value: unknown): Group => (value && typeof value === "object" ? (value as Group) : {});
const oneOf = <T extends string>(value: unknown, options: readonly T[], fallback: T): T =>
  options.includes(value as T) ? (value as T) : fallback;

export function toFormValues(bot: Bot): BotFormValues {
  const theme = group(bot.theme);
  const llm = group(bot.llm);
  const retrieval = group(bot.retrieval);
  const rates = group(bot.rate_limits);
  const rule = (scope: string) => {
    const value = group(rates[scope]);
    return { per_minute: str(value.per_minute), burst: str(value.burst) };
  };
  return {
    name: bot.name,
    persona: bot.persona ?? "",
    tone: bot.tone ?? "",
    greeting: bot.greeting ?? "",
    language_policy: oneOf(bot.language_policy, ["match_shopper", "business_language"] as const, "match_shopper"),
    custom_instructions: bot.custom_instructions ?? "",
    fallback_message: bot.fallback_message ?? "",
    theme: {
      primary_color: str(theme.primary_color),
      position: oneOf(theme.position, ["left", "right"] as const, "right"),
      title: str(theme.title),
      avatar_url: str(theme.avatar_url),
    },
    allowed_origins: bot.allowed_origins.map((value) => ({ value })),
    llm: {
      provider: oneOf(llm.provider, ["platform", "offline", "openai"] as const, "platform"),
      model: str(llm.model),
      temperature: str(llm.temperature),
      max_tokens: str(llm.max_tokens),
      timeout_s: str(llm.timeout_s),
      base_url: str(llm.base_url),
      has_api_key: llm.has_api_key === true,
      api_key: "",
    },
    retrieval: {
      top_k: str(retrieval.top_k),
      candidates: str(retrieval.candidates),
      fusion: oneOf(retrieval.fusion, ["", "weighted", "rrf"] as const, ""),
      rrf_k: str(retrieval.rrf_k),
      vector_weight: str(retrieval.vector_weight),
      text_weight: str(retrieval.text_weight),
      min_score: str(retrieval.min_score),
      evidence_per_product: str(retrieval.evidence_per_product),
    },
    rate_limits: {
      session: rule("session"),
      ip: rule("ip"),
      bot: rule("bot"),
      session_create: rule("session_create"),
      interaction: rule("interaction"),
    },
    mask_contact_details: bot.mask_contact_details ?? true,
    consent_required: bot.consent_required ?? false,
    consent_text: bot.consent_text ?? "",
  };
}

const NUMERIC = new Set(["temperature", "max_tokens", "timeout_s", "top_k", "candidates", "rrf_k", "vector_weight", "text_weight", "min_score", "evidence_per_product"]);

/** A form value as the API wants it: empty → null (the default), numbers as numbers. */
function apiValue(key: string, value: string): string | number | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  return NUMERIC.has(key) ? Number(trimmed) : trimmed;
}

function changedKeys(before: Record<string, string>, after: Record<string, string>): Group | undefined {
  const patch: Group = {};
  for (const key of Object.keys(after)) {
    if (before[key] !== after[key]) patch[key] = apiValue(key, after[key] ?? "");
  }
  return Object.keys(patch).length ? patch : undefined;
}

const TEXTS = ["persona", "tone", "greeting", "custom_instructions", "fallback_message"] as const;

export function toPatch(initial: BotFormValues, current: BotFormValues): BotUpdate {
  const patch: BotUpdate = {};
  if (current.name.trim() !== initial.name.trim()) patch.name = current.name.trim();
  for (const key of TEXTS) {
    if (current[key] !== initial[key]) patch[key] = current[key].trim() === "" ? null : current[key];
  }
  if (current.language_policy !== initial.language_policy) patch.language_policy = current.language_policy;
  if (current.mask_contact_details !== initial.mask_contact_details) patch.mask_contact_details = current.mask_contact_details;
  if (current.consent_required !== initial.consent_required) patch.consent_required = current.consent_required;
  if (current.consent_text !== initial.consent_text) patch.consent_text = current.consent_text.trim() === "" ? null : current.consent_text.trim();

  const origins = current.allowed_origins.map((entry) => entry.value.trim());
  if (origins.join("\n") !== initial.allowed_origins.map((entry) => entry.value.trim()).join("\n")) patch.allowed_origins = origins;

  const theme = changedKeys(initial.theme, current.theme);
  if (theme) patch.theme = theme as BotUpdate["theme"];
  const llmText = ({ provider, model, temperature, max_tokens, timeout_s, base_url }: BotFormValues["llm"]) => ({ provider, model, temperature, max_tokens, timeout_s, base_url });
  const llm = changedKeys(llmText(initial.llm), llmText(current.llm)) ?? {};
  const apiKey = current.llm.api_key.trim();
  if (apiKey) llm.api_key = apiKey; // write-only: sent only when typed
  if (Object.keys(llm).length) patch.llm = llm as BotUpdate["llm"];
  const retrieval = changedKeys(initial.retrieval, current.retrieval);
  if (retrieval) patch.retrieval = retrieval as BotUpdate["retrieval"];

  const rates: Group = {};
  for (const scope of RATE_SCOPES) {
    const before = initial.rate_limits[scope];
    const after = current.rate_limits[scope];
    if (before.per_minute === after.per_minute && before.burst === after.burst) continue;
    rates[scope] = after.per_minute.trim()
      ? { per_minute: Number(after.per_minute), ...(after.burst.trim() ? { burst: Number(after.burst) } : {}) }
      : null;
  }
  if (Object.keys(rates).length) patch.rate_limits = rates as BotUpdate["rate_limits"];
  return patch;
}

/** Where a server field error (`theme.primary_color`, `allowed_origins.2`,
 * `rate_limits.ip.per_minute`) goes on the form, or null when the form has no such field. */
export function formPathOf(field: string): string | null {
  const path = field.replace(/^body\./, "");
  const origin = /^allowed_origins\.(\d+)$/.exec(path);
  if (origin) return `allowed_origins.${origin[1]}.value`;
  if (/^(name|persona|tone|greeting|language_policy|custom_instructions|fallback_message|allowed_origins|mask_contact_details|consent_required|consent_text)$/.test(path)) return path;
  if (/^(theme|llm|retrieval)\.[a-z_]+$/.test(path)) return path;
  if (/^rate_limits\.[a-z_]+\.(per_minute|burst)$/.test(path)) return path;
  return null;
}
