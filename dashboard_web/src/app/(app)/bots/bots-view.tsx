"use client";

import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { READ_ONLY_REASON, useCanEditBots } from "@/features/bots/access";
import { botSlots, listBots, loadBilling, modelOf, type BotOut } from "@/features/bots/queries";
import { useQuery } from "@/lib/use-query";
import { CreateBotDialog } from "./create-bot-dialog";

function BotStatus({ bot }: { bot: BotOut }) {
  if (bot.suspended_by_plan)
    return (
      <div className="grid gap-1">
        <Badge variant="destructive">Suspended by plan</Badge>
        <span className="text-xs text-muted-foreground">
          Your plan has fewer bot slots than bots. <Link href="/billing/" className="text-primary underline">Upgrade</Link> to enable it again.
        </span>
      </div>
    );
  return bot.is_active ? <Badge>Active</Badge> : <Badge variant="secondary">Inactive</Badge>;
}

export function BotsView() {
  const bots = useQuery(["bots"], listBots);
  const billing = useQuery(["billing"], loadBilling);
  const canEdit = useCanEditBots();
  const slots = botSlots(billing.data);
  const full = slots !== null && slots.used >= slots.limit;

  return (
    <>
      <PageHeader
        title="Bots"
        description="Each bot is an assistant with its own persona, look, model and the sites it may open on."
        actions={<CreateBotDialog disabled={!canEdit} onCreated={() => void bots.reload()} />}
      />
      {!canEdit ? <p className="mb-4 text-sm text-muted-foreground">{READ_ONLY_REASON}</p> : null}
      {slots ? (
        <p className="mb-4 text-sm text-muted-foreground" aria-live="polite">
          {slots.used} of {slots.limit} active bot slots used on your plan.
          {full ? (
            <>
              {" "}A new bot needs a free slot: <Link href="/billing/" className="text-primary underline">see plans</Link>.
            </>
          ) : null}
        </p>
      ) : null}
      <QueryView
        query={bots}
        isEmpty={(items) => items.length === 0}
        empty={<EmptyState title="No bots yet">Create a bot, then configure it and copy its snippet into your store.</EmptyState>}
      >
        {(items) => (
          <div className="overflow-x-auto rounded-lg border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead scope="col">Name</TableHead>
                  <TableHead scope="col">Status</TableHead>
                  <TableHead scope="col">Model</TableHead>
                  <TableHead scope="col">Allowed origins</TableHead>
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((bot) => (
                  <TableRow key={bot.id}>
                    <TableCell className="font-medium">{bot.name}</TableCell>
                    <TableCell>
                      <BotStatus bot={bot} />
                    </TableCell>
                    <TableCell>{modelOf(bot)}</TableCell>
                    <TableCell>{bot.allowed_origins.length}</TableCell>
                    <TableCell className="text-right">
                      <Link href={`/bots/edit/?id=${bot.id}`} className={buttonVariants({ variant: "outline", size: "sm" })}>
                        Configure
                      </Link>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </QueryView>
    </>
  );
}
