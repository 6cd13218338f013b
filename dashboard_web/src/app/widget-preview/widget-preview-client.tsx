"use client";

import { useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { scriptAttributes } from "@/features/bots/preview";

export function WidgetPreviewClient() {
  const search = useSearchParams().toString();
  const attributes = scriptAttributes(search);

  useEffect(() => {
    const wanted = scriptAttributes(search);
    if (!wanted) return;
    // The widget boots once per page; the configure page re-creates this frame on changes.
    const script = document.createElement("script");
    for (const [name, value] of Object.entries(wanted)) script.setAttribute(name, value);
    script.async = true;
    document.body.appendChild(script);
  }, [search]);

  return (
    <main className="p-4 text-sm text-muted-foreground">
      {attributes ? <p>This is how shoppers see your assistant. Changes show here before you save them.</p> : <p>No widget key was given, so there is nothing to preview.</p>}
    </main>
  );
}
