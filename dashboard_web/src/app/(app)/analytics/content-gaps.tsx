"use client";

import { FilePlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { describeError } from "@/api/problem";
import { Button } from "@/components/ui/button";
import { createGapDocument, documentEditorHref, loadContentGaps, type ContentGap, type Filters } from "@/features/analytics/api";
import { formatCount, questionText } from "@/features/analytics/format";
import { READ_ONLY_REASON, useCanWrite } from "@/features/stores/roles";
import { useQuery } from "@/lib/use-query";
import { Examples, ListCard } from "./list-card";

/** One gap: its question, how often it went unanswered, and "Create a document", which drafts
 * a knowledge document from the question and opens it in the knowledge editor. */
function GapItem({ gap, canWrite }: { gap: ContentGap; canWrite: boolean }) {
  const router = useRouter();
  const questionId = `${useId()}-question`;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const document = await createGapDocument(gap.cluster_id);
      router.push(documentEditorHref(document.id));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <li className="grid gap-2 border-b py-3 last:border-0 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
      <div className="min-w-0">
        <p id={questionId} className="font-medium break-words">
          {questionText(gap)}
        </p>
        <p className="text-sm text-muted-foreground">
          Unanswered {formatCount(gap.unanswered)} of {formatCount(gap.asked)} times asked
        </p>
        <Examples examples={gap.examples} />
      </div>
      <div className="grid gap-1 sm:justify-items-end">
        <Button size="sm" variant="outline" disabled={!canWrite || busy} aria-describedby={questionId} onClick={() => void create()}>
          <FilePlus aria-hidden="true" />
          {busy ? "Creating…" : "Create a document"}
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-destructive sm:max-w-56 sm:text-right">
            {error}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/** The questions the assistant could not answer, most often unanswered first. */
export function ContentGaps({ filters }: { filters: Filters }) {
  const canWrite = useCanWrite();
  const gaps = useQuery(["analytics-content-gaps", filters], () => loadContentGaps(filters));
  return (
    <ListCard
      title="Content gaps"
      description={
        canWrite
          ? "Questions your assistant could not answer. A document that answers one fills the gap."
          : `Questions your assistant could not answer. ${READ_ONLY_REASON}`
      }
      query={gaps}
      empty="No unanswered questions in this period"
    >
      {(rows) => (
        <ol aria-label="Content gaps, most often unanswered first">
          {rows.map((gap) => (
            <GapItem key={gap.cluster_id} gap={gap} canWrite={canWrite} />
          ))}
        </ol>
      )}
    </ListCard>
  );
}
