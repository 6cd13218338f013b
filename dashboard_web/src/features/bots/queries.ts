// The reads the bot pages share.
import { api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";

export type BotOut = components["schemas"]["BotOut"];
export type Billing = components["schemas"]["BillingOut"];

export async function listBots(): Promise<BotOut[]> {
  const page = await unwrap(api.GET("/v1/bots", { params: { query: { limit: 100 } } }));
  return page.items;
}

export function loadBot(id: string): Promise<BotOut> {
  return unwrap(api.GET("/v1/bots/{bot_id}", { params: { path: { bot_id: id } } }));
}

export function loadBilling(): Promise<Billing> {
  return unwrap(api.GET("/v1/billing"));
}

/** The plan's models on the platform's key; ["*"] allows any. */
export function planModels(billing: Billing | undefined): string[] {
  const models = billing?.limits.models;
  return Array.isArray(models) ? models.filter((m): m is string => typeof m === "string") : [];
}

export function botSlots(billing: Billing | undefined): { used: number; limit: number } | null {
  const limit = billing?.limits.bots;
  const used = billing?.usage.bots;
  return typeof limit === "number" && typeof used === "number" ? { used, limit } : null;
}

export function modelOf(bot: BotOut): string {
  const model = bot.llm.model;
  return typeof model === "string" && model ? model : "Default";
}
