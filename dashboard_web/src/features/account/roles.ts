// What a role may do, mirrored from dashboard_api/auth/context.py (ROLE_RANK) so the pages
// hide what the server would refuse with 403. The server stays the authority.
const RANK: Record<string, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function atLeast(role: string | undefined, needed: "viewer" | "editor" | "admin" | "owner"): boolean {
  return (RANK[role ?? ""] ?? -1) >= RANK[needed]!;
}

/** Roles a member may hand out: only an owner grants or takes away the owner role. */
export function assignableRoles(myRole: string | undefined): ("owner" | "admin" | "editor" | "viewer")[] {
  return myRole === "owner" ? ["owner", "admin", "editor", "viewer"] : ["admin", "editor", "viewer"];
}

export const ROLE_HINTS: Record<string, string> = {
  owner: "Everything, including billing and other owners.",
  admin: "Everything except owners: team, API keys, audit log.",
  editor: "Stores, bots, knowledge and the business profile.",
  viewer: "Reads everything, changes nothing.",
};
