import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

// A native <label>: Radix's Label adds nothing a form here needs, and forms are in every
// page's first load.
export function Label({ className, ...props }: ComponentProps<"label">) {
  return <label className={cn("text-sm font-medium leading-none", className)} {...props} />;
}
