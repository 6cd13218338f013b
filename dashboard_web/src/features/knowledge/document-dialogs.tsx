"use client";

import { Plus } from "lucide-react";
import dynamic from "next/dynamic";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { LoadingState, QueryView } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { useQuery } from "@/lib/use-query";
import type { KnowledgeValues } from "@/lib/schemas/knowledge";
import type { ContentType, Kind } from "./limits";

// The form (React Hook Form + zod) loads when a dialog opens: the page stays inside the
// first-load budget.
const DocumentForm = dynamic(() => import("./document-form"), { loading: () => <LoadingState rows={4} label="Loading the form…" /> });
const EMPTY_DOCUMENT: KnowledgeValues = { title: "", body: "", kind: "faq", content_type: "text" };

export function AddDocumentDialog({ disabled, onSaved }: { disabled?: boolean; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button disabled={disabled}>
          <Plus aria-hidden="true" />
          Add document
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>Add document</DialogTitle>
          <DialogDescription>FAQs, shipping and return policies, size guides: the assistant answers from them.</DialogDescription>
        </DialogHeader>
        {open ? (
          <DocumentForm
            initial={EMPTY_DOCUMENT}
            submitLabel="Add document"
            onSave={async (values) => {
              await unwrap(api.POST("/v1/knowledge", { body: values }));
              onSaved();
              setOpen(false);
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

type EditProps = { documentId: string; onSaved: () => void; description?: string };

export function EditDocumentDialog({ documentId, title, disabled, onSaved }: EditProps & { title: string; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" disabled={disabled} aria-label={`Edit ${title}`}>
          Edit
        </Button>
      </DialogTrigger>
      <EditDocumentContent
        open={open}
        documentId={documentId}
        onSaved={() => {
          onSaved();
          setOpen(false);
        }}
      />
    </Dialog>
  );
}

/** The editor opened by a link (`/knowledge/?edit=<id>`, as the analytics page's "Create a
 * document" does) rather than by a row's button. */
export function LinkedDocumentDialog({ documentId, description, onSaved, onClose }: EditProps & { onClose: () => void }) {
  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())}>
      <EditDocumentContent open documentId={documentId} description={description} onSaved={onSaved} />
    </Dialog>
  );
}

function EditDocumentContent({ open, documentId, description, onSaved }: EditProps & { open: boolean }) {
  return (
    <DialogContent className="max-w-2xl">
      <DialogHeader>
        <DialogTitle>Edit document</DialogTitle>
        <DialogDescription>{description ?? "A changed title, content or format is indexed again when you save."}</DialogDescription>
      </DialogHeader>
      {open ? <EditLoader documentId={documentId} onSaved={onSaved} /> : null}
    </DialogContent>
  );
}

function EditLoader({ documentId, onSaved }: { documentId: string; onSaved: () => void }) {
  const document = useQuery(["knowledge", documentId], () =>
    unwrap(api.GET("/v1/knowledge/{document_id}", { params: { path: { document_id: documentId } } })),
  );
  return (
    <QueryView query={document}>
      {(doc) => (
        <DocumentForm
          initial={{ title: doc.title, body: doc.body, kind: doc.kind as Kind, content_type: doc.content_type as ContentType }}
          submitLabel="Save changes"
          onSave={async (values: KnowledgeValues) => {
            await unwrap(api.PATCH("/v1/knowledge/{document_id}", { params: { path: { document_id: documentId } }, body: values }));
            onSaved();
          }}
        />
      )}
    </QueryView>
  );
}
