"use client";

import { useAuth } from "@/stores/auth";

/** Editors, admins and owners change stores and knowledge; viewers only read
 * (dashboard_api MerchantWrite = editor and above). */
export function useCanWrite(): boolean {
  const role = useAuth((state) => state.me?.role);
  return role === "owner" || role === "admin" || role === "editor";
}

export const READ_ONLY_REASON = "Your role is Viewer: you can look, but only editors, admins and the owner can change this.";
