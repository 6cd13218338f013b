"use client";

import Link from "next/link";
import { api, unwrap } from "@/api/client";
import { ErrorState } from "@/components/states";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { originAllowed, originOf } from "@/features/bots/origin-match";
import type { BotOut } from "@/features/bots/queries";
import { useQuery } from "@/lib/use-query";

/** Warns when a connected store's address is not on the bot's allow-list (the widget would
 * be refused there). */
export function OriginCheck({ bot }: { bot: BotOut }) {
  const stores = useQuery(["stores"], async () => (await unwrap(api.GET("/v1/stores", { params: { query: { limit: 100 } } }))).items);
  if (stores.error) return <ErrorState title="Your stores could not be checked" error={stores.error} onRetry={() => void stores.reload()} />;
  if (!stores.data)
    return (
      <p role="status" className="text-sm text-muted-foreground">
        Checking your stores…
      </p>
    );
  const relevant = stores.data.filter((store) => !bot.store_id || store.id === bot.store_id);
  if (relevant.length === 0)
    return (
      <p className="text-sm text-muted-foreground">
        No store is connected yet. <Link href="/stores/" className="text-primary underline">Connect your store</Link> so the bot can answer from its catalogue.
      </p>
    );
  const missing = relevant.map((store) => originOf(store.base_url)).filter((origin): origin is string => origin !== null && !originAllowed(origin, bot.allowed_origins));
  if (missing.length === 0)
    return (
      <p role="status" className="text-sm">
        The bot&apos;s allowed origins include your store{relevant.length > 1 ? "s" : ""}.
      </p>
    );
  return (
    <Alert variant="destructive">
      <AlertTitle>The widget will not open on your store yet</AlertTitle>
      <p>
        {missing.join(", ")} {missing.length > 1 ? "are" : "is"} not among the bot&apos;s allowed origins, so the widget is refused there.{" "}
        <Link href={`/bots/edit/?id=${bot.id}`} className="underline">
          Add it on the bot&apos;s Origins tab
        </Link>
        .
      </p>
    </Alert>
  );
}
