import { useAuth } from "@/stores/auth";

// Mirrors dashboard_api/auth/context.py: bots are written by editors and above.
const WRITERS = new Set(["owner", "admin", "editor"]);

export const READ_ONLY_REASON = "Your role can view bots but not change them. Ask an owner, admin or editor.";

export function useCanEditBots(): boolean {
  const role = useAuth((state) => state.me?.role);
  return role !== undefined && WRITERS.has(role);
}
