import type { Metadata } from "next";
import { Suspense } from "react";
import { WidgetPreviewClient } from "./widget-preview-client";

export const metadata: Metadata = { title: "Widget preview" };

/** Framed by the bot's configure page: the real widget.js on a blank page, with the form's
 * unsaved values as data-* overrides. Outside the (app) group: no shell, no sign-in needed
 * (the widget key is public; the API allows its own origin as the preview origin). */
export default function WidgetPreviewPage() {
  return (
    <Suspense fallback={null}>
      <WidgetPreviewClient />
    </Suspense>
  );
}
