"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { api, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { EmptyState, QueryView } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { AddDocumentDialog, LinkedDocumentDialog } from "@/features/knowledge/document-dialogs";
import { DocumentsTable } from "@/features/knowledge/documents-table";
import { READ_ONLY_REASON, useCanWrite } from "@/features/stores/roles";
import { LoadMore } from "@/components/load-more";
import { usePaged } from "@/lib/use-paged";

/** `?edit=<id>` opens that document's editor: the analytics page sends a merchant here with
 * the document it just drafted from a content gap. Closing it drops the parameter. */
function LinkedDocument({ onSaved }: { onSaved: () => void }) {
  const router = useRouter();
  const documentId = useSearchParams().get("edit");
  if (!documentId) return null;
  const close = () => router.replace("/knowledge/");
  return (
    <LinkedDocumentDialog
      documentId={documentId}
      description="Write the answer shoppers were missing, then save: the assistant uses the document once it is indexed."
      onSaved={() => {
        onSaved();
        close();
      }}
      onClose={close}
    />
  );
}

export function KnowledgePage() {
  const canWrite = useCanWrite();
  const documents = usePaged(["knowledge"], (cursor) =>
    unwrap(api.GET("/v1/knowledge", { params: { query: { limit: 50, cursor, sort: "-updated_at" } } })),
  );
  const reload = () => void documents.reload();

  return (
    <>
      <PageHeader
        title="Knowledge"
        description={canWrite ? "What the assistant knows besides your products: FAQs, policies, guides." : READ_ONLY_REASON}
        actions={<AddDocumentDialog disabled={!canWrite} onSaved={reload} />}
      />
      <Suspense fallback={null}>
        <LinkedDocument onSaved={reload} />
      </Suspense>
      <QueryView
        query={documents}
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState title="No documents yet">
            Add your shipping, returns and warranty policies and common questions, so the assistant can answer more than product questions.
          </EmptyState>
        }
      >
        {(items) => (
          <div className="grid gap-4">
            {items.some((doc) => doc.suspended_by_plan) ? (
              <Alert variant="warning">
                Some documents are paused because your plan has no room for them; the assistant does not use them.{" "}
                <Link href="/billing/" className="font-medium underline">
                  Upgrade your plan
                </Link>
              </Alert>
            ) : null}
            <DocumentsTable documents={items} canWrite={canWrite} onChanged={reload} />
            <LoadMore pager={documents.pager} />
          </div>
        )}
      </QueryView>
    </>
  );
}
