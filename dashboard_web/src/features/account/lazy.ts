"use client";

// Dialogs and forms that are not needed for a page's first paint load on demand: React Hook
// Form + zod/mini (~31 KB gzipped) and the dialog primitives (~13 KB) would otherwise push
// the signed-in pages over the 180 KB first-load budget. Each is rendered only when used.
import dynamic from "next/dynamic";

export const LazyConfirmDialog = dynamic(() => import("@/components/confirm-dialog").then((module) => module.ConfirmDialog), { ssr: false });
