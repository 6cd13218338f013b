"use client";

import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { describeError } from "@/api/problem";
import type { components } from "@/api/schema";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RelativeTime } from "@/components/relative-time";
import { CONTENT_TYPE_LABELS, formatBytes, KIND_LABELS, type ContentType, type Kind } from "./limits";
import { EditDocumentDialog } from "./document-dialogs";

type Document = components["schemas"]["KnowledgeSummary"];

export function DocumentsTable({ documents, canWrite, onChanged }: { documents: Document[]; canWrite: boolean; onChanged: () => void }) {
  const [notice, setNotice] = useState<string | null>(null);

  const reindex = async (doc: Document) => {
    setNotice(`Reindexing ${doc.title}…`);
    try {
      await unwrap(api.POST("/v1/knowledge/{document_id}/reindex", { params: { path: { document_id: doc.id } } }));
      setNotice(`${doc.title} was reindexed.`);
      onChanged();
    } catch (error) {
      setNotice(`${doc.title} could not be reindexed: ${describeError(error)}`);
    }
  };

  return (
    <div className="grid gap-2">
      <p role="status" aria-live="polite" className="text-sm">
        {notice}
      </p>
      <div className="overflow-x-auto">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Title</TableHead>
              <TableHead scope="col">Kind</TableHead>
              <TableHead scope="col">Size</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">Updated</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {documents.map((doc) => (
              <TableRow key={doc.id}>
                <TableCell className="font-medium">{doc.title}</TableCell>
                <TableCell>
                  {KIND_LABELS[doc.kind as Kind] ?? doc.kind}
                  <span className="block text-xs text-muted-foreground">{CONTENT_TYPE_LABELS[doc.content_type as ContentType] ?? doc.content_type}</span>
                </TableCell>
                <TableCell>{formatBytes(doc.size_bytes)}</TableCell>
                <TableCell>
                  <StatusBadge doc={doc} />
                </TableCell>
                <TableCell>
                  <RelativeTime iso={doc.updated_at} />
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-2">
                    <EditDocumentDialog documentId={doc.id} title={doc.title} disabled={!canWrite} onSaved={onChanged} />
                    <Button size="sm" variant="outline" disabled={!canWrite} onClick={() => void reindex(doc)} aria-label={`Reindex ${doc.title}`}>
                      Reindex
                    </Button>
                    <ConfirmDialog
                      trigger="Delete"
                      triggerLabel={`Delete ${doc.title}`}
                      title={`Delete ${doc.title}?`}
                      description="The assistant stops using this document at once. This cannot be undone."
                      confirmLabel="Delete document"
                      disabled={!canWrite}
                      onConfirm={async () => {
                        await unwrap(api.DELETE("/v1/knowledge/{document_id}", { params: { path: { document_id: doc.id } } }));
                        onChanged();
                      }}
                    />
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}

function StatusBadge({ doc }: { doc: Document }) {
  if (doc.suspended_by_plan) return <Badge variant="warning">Paused by plan</Badge>;
  if (doc.indexed_at) return <Badge variant="success">Indexed</Badge>;
  return <Badge variant="secondary">Not indexed</Badge>;
}
