"use client";

import { useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { useCanEditBots } from "@/features/bots/access";
import { loadBilling, loadBot } from "@/features/bots/queries";
import { useQuery } from "@/lib/use-query";
import { BotEditor } from "./bot-editor";

export function BotEditorLoader() {
  const id = useSearchParams().get("id") ?? "";
  const bot = useQuery(["bot", id], () => loadBot(id), id !== "");
  // The plan's models and rate ceilings: the form still works without them.
  const billing = useQuery(["billing"], loadBilling);
  const canEdit = useCanEditBots();
  if (!id)
    return (
      <>
        <PageHeader title="Configure bot" />
        <EmptyState title="No bot chosen">Pick a bot on the Bots page.</EmptyState>
      </>
    );
  return (
    <QueryView query={bot}>
      {(data) => <BotEditor key={data.id} bot={data} billing={billing.data} canEdit={canEdit} />}
    </QueryView>
  );
}
