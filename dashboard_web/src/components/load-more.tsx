import { describeError } from "@/api/problem";
import { Button } from "@/components/ui/button";
import type { Pager } from "@/lib/use-paged";

export function LoadMore({ pager }: { pager: Pager }) {
  if (!pager.hasMore && !pager.moreError) return null;
  return (
    <div className="grid justify-items-center gap-2">
      {pager.moreError ? (
        <p role="alert" className="text-sm text-destructive">
          More could not be loaded: {describeError(pager.moreError)}
        </p>
      ) : null}
      <Button variant="outline" onClick={() => void pager.loadMore()} disabled={pager.loadingMore}>
        {pager.loadingMore ? "Loading…" : "Load more"}
      </Button>
    </div>
  );
}
