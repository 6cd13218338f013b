import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/** A plain <select> styled like Input: works with react-hook-form's register, the keyboard
 * and screen readers with nothing extra, and adds nothing to the bundle. */
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
