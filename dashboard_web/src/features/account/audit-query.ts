// Kept apart from the zod schemas so the audit log page does not load zod for it.
import type { AuditFilterValues } from "@/lib/schemas/account";

/** Filter values as the endpoint's query: dates cover whole local days (`to` is exclusive,
 * so it is the start of the day after). */
export function auditQuery(filters: AuditFilterValues): { action?: string; actor_user_id?: string; from?: string; to?: string } {
  const query: { action?: string; actor_user_id?: string; from?: string; to?: string } = {};
  if (filters.action) query.action = filters.action;
  if (filters.actor) query.actor_user_id = filters.actor;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}
