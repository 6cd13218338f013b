import { ThumbsDown, ThumbsUp } from "lucide-react";
import type { components } from "@/api/schema";
import { Badge } from "@/components/ui/badge";
import { exactTime } from "@/components/relative-time";
import { cn } from "@/lib/utils";
import { SourceCards } from "./source-cards";

type Message = components["schemas"]["MessageOut"];

const SPEAKER: Record<Message["role"], string> = { user: "Shopper", assistant: "Assistant", merchant: "You (the store)" };

/** The conversation as the shopper saw it: their messages right, the assistant's left. */
export function Transcript({ messages }: { messages: Message[] }) {
  if (messages.length === 0) return <p className="text-sm text-muted-foreground">This conversation has no messages.</p>;
  return (
    <ol className="grid gap-4" aria-label="Transcript">
      {messages.map((message) => (
        <li key={message.id} className={cn("flex", message.role === "user" ? "justify-end" : "justify-start")}>
          <article
            className={cn(
              "max-w-[min(40rem,90%)] rounded-lg p-3 text-sm",
              message.role === "user" ? "bg-primary text-primary-foreground" : message.role === "merchant" ? "border border-amber-300 bg-amber-50" : "border bg-background",
            )}
          >
            <header className="mb-1 flex flex-wrap items-center gap-2 text-xs">
              <span className="font-semibold">{SPEAKER[message.role]}</span>
              <time dateTime={message.created_at}>{exactTime(message.created_at)}</time>
            </header>
            <p className="whitespace-pre-wrap break-words">{message.content}</p>
            {message.role === "assistant" ? <AnswerDetails message={message} /> : null}
          </article>
        </li>
      ))}
    </ol>
  );
}

function AnswerDetails({ message }: { message: Message }) {
  const facts = [message.model, message.latency_ms != null ? `${(message.latency_ms / 1000).toFixed(1)} s` : null].filter(Boolean).join(" · ");
  return (
    <>
      <SourceCards sources={message.sources} />
      <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
        {message.status === "no_answer" ? <Badge variant="warning">No answer found</Badge> : null}
        {message.status === "error" ? <Badge variant="destructive">Error</Badge> : null}
        {facts ? <span>{facts}</span> : null}
      </div>
      {message.feedback ? <Feedback feedback={message.feedback} /> : null}
    </>
  );
}

function Feedback({ feedback }: { feedback: NonNullable<Message["feedback"]> }) {
  const up = feedback.rating === "up";
  return (
    <div className={cn("mt-2 rounded-md border p-2 text-xs", up ? "border-green-300 bg-green-50 text-green-950" : "border-red-300 bg-red-50 text-red-950")}>
      <p className="flex items-center gap-1 font-semibold">
        {up ? <ThumbsUp className="size-3" aria-hidden="true" /> : <ThumbsDown className="size-3" aria-hidden="true" />}
        Shopper rated this {up ? "helpful" : "not helpful"}
      </p>
      {feedback.comment ? <p className="mt-1">“{feedback.comment}”</p> : null}
    </div>
  );
}
