import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/** A native <select> styled like Input: for long lists (400 time zones) the browser's own
 * control lets people type to jump, works with RHF's `register`, and costs no script. */
export function NativeSelect({ className, ...props }: ComponentProps<"select">) {
  return (
    <select
      className={cn(
        "flex h-10 w-full rounded-md border border-input bg-background px-3 py-2 text-sm disabled:cursor-not-allowed disabled:opacity-60 aria-[invalid=true]:border-destructive",
        className,
      )}
      {...props}
    />
  );
}
