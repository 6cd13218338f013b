"use client";

import { useRef, useState } from "react";
import { api, unwrap } from "@/api/client";
import { QueryView } from "@/components/states";
import { Button } from "@/components/ui/button";
import { copyText } from "@/features/bots/copy";
import { useQuery } from "@/lib/use-query";

export function SnippetBlock({ botId, widgetKey }: { botId: string; widgetKey: string }) {
  // The key is part of the query key: after a rotation the snippet is read again.
  const snippet = useQuery(["snippet", botId, widgetKey], () => unwrap(api.GET("/v1/bots/{bot_id}/snippet", { params: { path: { bot_id: botId } } })));
  const code = useRef<HTMLElement>(null);
  const [status, setStatus] = useState("");

  return (
    <section aria-labelledby="snippet-heading" className="grid gap-3">
      <h2 id="snippet-heading" className="text-lg font-semibold">
        Your snippet
      </h2>
      <QueryView query={snippet}>
        {(data) => (
          <>
            <pre className="overflow-x-auto rounded-lg border bg-muted p-4 text-sm">
              <code ref={code}>{data.snippet}</code>
            </pre>
            <div className="flex flex-wrap items-center gap-3">
              <Button
                type="button"
                onClick={async () => {
                  setStatus("");
                  const outcome = await copyText(data.snippet, code.current);
                  setStatus(outcome === "copied" ? "Copied" : "Your browser blocked copying: the snippet is selected, press Ctrl+C (⌘C on a Mac).");
                }}
              >
                Copy snippet
              </Button>
              <span role="status" className="text-sm">
                {status}
              </span>
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}
