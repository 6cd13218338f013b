"use client";

import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { buttonVariants } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { useCanEditBots } from "@/features/bots/access";
import { NativeSelect } from "@/components/ui/native-select";
import { listBots } from "@/features/bots/queries";
import { useQuery } from "@/lib/use-query";
import { InstallSteps } from "./install-steps";
import { OriginCheck } from "./origin-check";
import { RotateKeyDialog } from "./rotate-key-dialog";
import { SnippetBlock } from "./snippet-block";

export function InstallView() {
  const bots = useQuery(["bots"], listBots);
  const [chosen, setChosen] = useState<string>("");
  const canEdit = useCanEditBots();
  return (
    <>
      <PageHeader title="Install" description="Put your assistant on your store: one script tag, pasted once." />
      <QueryView
        query={bots}
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState title="No bots yet" action={<Link href="/bots/" className={buttonVariants({ variant: "outline" })}>Go to Bots</Link>}>
            Create a bot first; its snippet appears here.
          </EmptyState>
        }
      >
        {(items) => {
          const bot = items.find((item) => item.id === chosen) ?? items[0];
          if (!bot) return null;
          return (
            <div className="grid gap-6">
              <div className="grid max-w-sm gap-1.5">
                <Label htmlFor="install-bot">Bot</Label>
                <NativeSelect id="install-bot" value={bot.id} onChange={(event) => setChosen(event.target.value)}>
                  {items.map((item) => (
                    <option key={item.id} value={item.id}>
                      {item.name}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <SnippetBlock botId={bot.id} widgetKey={bot.widget_key} />
              <OriginCheck bot={bot} />
              <InstallSteps />
              <RotateKeyDialog bot={bot} disabled={!canEdit} onRotated={() => void bots.reload()} />
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
