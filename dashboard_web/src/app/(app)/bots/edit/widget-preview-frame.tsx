"use client";

import { useEffect, useState } from "react";
import { previewUrl, type PreviewSettings } from "@/features/bots/preview";

const DEBOUNCE_MS = 300;

/** The real widget in a frame, re-created (a new src) ~300 ms after the settings stop changing:
 * widget.js boots once per page, so a change needs a fresh page. */
export function WidgetPreviewFrame({ settings }: { settings: PreviewSettings }) {
  const wanted = previewUrl(settings);
  const [src, setSrc] = useState(wanted);
  useEffect(() => {
    const timer = window.setTimeout(() => setSrc(wanted), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [wanted]);
  return (
    <section aria-labelledby="preview-heading" className="grid gap-2">
      <h2 id="preview-heading" className="text-base font-semibold">
        Live preview
      </h2>
      <p className="text-xs text-muted-foreground">Your unsaved changes, in the real widget. Conversations here stay out of analytics.</p>
      {/* At least 480 px wide: narrower, widget.js treats the frame as a phone and shows only the launcher. */}
      <iframe key={src} title="Widget preview" src={src} className="h-[560px] w-full rounded-lg border bg-white" />
    </section>
  );
}
