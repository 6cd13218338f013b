import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

const alertVariants = cva("relative w-full rounded-lg border p-4 text-sm [&_strong]:font-semibold", {
  variants: {
    variant: {
      default: "bg-background text-foreground",
      info: "border-blue-300 bg-blue-50 text-blue-950",
      success: "border-green-300 bg-green-50 text-green-950",
      warning: "border-amber-300 bg-amber-50 text-amber-950",
      destructive: "border-red-300 bg-red-50 text-red-950",
    },
  },
  defaultVariants: { variant: "default" },
});

/** A message box; destructive alerts are announced to screen readers at once. */
export function Alert({ className, variant, ...props }: ComponentProps<"div"> & VariantProps<typeof alertVariants>) {
  return (
    <div
      role={variant === "destructive" ? "alert" : "status"}
      className={cn(alertVariants({ variant }), className)}
      {...props}
    />
  );
}

export function AlertTitle({ className, ...props }: ComponentProps<"p">) {
  return <p className={cn("mb-1 font-semibold leading-none", className)} {...props} />;
}
