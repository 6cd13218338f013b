"use client";

import { useSearchParams } from "next/navigation";

/** The `token` of an emailed link (`/app/verify-email/?token=...`). The calling component
 * must sit inside <Suspense>: a static export has no query string at build time. */
export function useTokenParam(): string {
  return useSearchParams().get("token")?.trim() ?? "";
}
