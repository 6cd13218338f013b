import type { ReactNode } from "react";
import { CardDescription, CardHeader } from "@/components/ui/card";

/** The header of a signed-out card with the page's one h1 (CardTitle is an h2, made for
 * cards inside a page that already has its heading). */
export function PublicCardHeader({ title, description }: { title: string; description?: ReactNode }) {
  return (
    <CardHeader>
      <h1 className="text-lg font-semibold leading-tight">{title}</h1>
      {description ? <CardDescription>{description}</CardDescription> : null}
    </CardHeader>
  );
}
