"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod/mini";
import { api, unwrap } from "@/api/client";
import { ApiProblem, describeError } from "@/api/problem";
import type { components } from "@/api/schema";
import { FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

type TryResponse = components["schemas"]["TryResponse"];
type Exchange = { question: string; answer: TryResponse };

const askSchema = z.object({
  message: z.string().check(z.refine((v) => v.trim().length > 0, "Type a question."), z.maxLength(2000, "Keep it to 2000 characters or fewer.")),
});
type AskValues = z.infer<typeof askSchema>;

export function tryErrorMessage(error: unknown): string {
  if (error instanceof ApiProblem && error.status === 429) return "Too many test questions in a short time. Wait a minute, then ask again.";
  return describeError(error);
}

export function TryChat({ botId, canAsk }: { botId: string; canAsk: boolean }) {
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<AskValues>({ resolver: zodResolver(askSchema), defaultValues: { message: "" } });
  const { errors, isSubmitting } = form.formState;
  const conversationId = exchanges.at(-1)?.answer.conversation_id ?? null;

  const onSubmit = form.handleSubmit(async ({ message }) => {
    setError(null);
    try {
      const answer = await unwrap(api.POST("/v1/bots/{bot_id}/try", { params: { path: { bot_id: botId } }, body: { message, conversation_id: conversationId } }));
      setExchanges((previous) => [...previous, { question: message, answer }]);
      form.reset();
    } catch (caught) {
      setError(tryErrorMessage(caught));
    }
  });

  return (
    <div className="grid gap-4">
      <p className="text-sm text-muted-foreground">Ask what a shopper would. The bot answers with its saved settings; these test conversations stay out of analytics.</p>
      <ol className="grid gap-3" aria-live="polite">
        {exchanges.map(({ question, answer }) => (
          <li key={answer.message_id} className="grid gap-2">
            <p className="justify-self-end rounded-lg bg-primary px-3 py-2 text-sm text-primary-foreground">{question}</p>
            <div className="rounded-lg border px-3 py-2 text-sm">
              <p className="whitespace-pre-wrap">{answer.answer}</p>
              {answer.sources.length ? (
                <div className="mt-2">
                  <p className="text-xs font-medium">Sources</p>
                  <ul className="list-disc pl-5 text-xs text-muted-foreground">
                    {answer.sources.map((source) => (
                      <li key={"product_id" in source ? source.product_id : source.document_id}>
                        {"url" in source && source.url ? (
                          <a href={source.url} target="_blank" rel="noreferrer" className="text-primary underline">
                            {source.title}
                          </a>
                        ) : (
                          source.title
                        )}
                        {"price" in source && source.price ? ` · ${source.price} ${source.currency}` : ""}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {isSubmitting ? (
        <p role="status" className="text-sm text-muted-foreground">
          Thinking…
        </p>
      ) : null}
      {!canAsk ? <p className="text-sm text-muted-foreground">Test questions count as messages of the month, so they need an editor role or above.</p> : null}
      {error ? <Alert variant="destructive">{error}</Alert> : null}
      <form onSubmit={onSubmit} noValidate className="grid gap-2">
        <FormField label="Question" error={errors.message?.message}>
          <Textarea rows={2} {...form.register("message")} />
        </FormField>
        <div className="flex gap-2">
          <Button type="submit" disabled={!canAsk || isSubmitting}>
            Ask
          </Button>
          {exchanges.length ? (
            <Button type="button" variant="outline" onClick={() => setExchanges([])}>
              New conversation
            </Button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
