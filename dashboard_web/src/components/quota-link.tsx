import Link from "next/link";
import { ApiProblem } from "@/api/problem";

/** After a 402 (plan quota), the way out: the billing page. */
export function QuotaLink({ error }: { error: unknown }) {
  if (!(error instanceof ApiProblem) || error.status !== 402) return null;
  return (
    <Link href="/billing/" className="font-medium underline">
      See plans and upgrade
    </Link>
  );
}
