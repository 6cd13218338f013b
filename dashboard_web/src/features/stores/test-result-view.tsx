import type { components } from "@/api/schema";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { describeTestProblem, type TestProblem } from "./test-problem";

type StoreInfo = components["schemas"]["StoreInfoOut"];

/** The outcome of a connection test: what Shopbot found, or what to fix. */
export function TestResultView({ info, problem }: { info?: StoreInfo | null; problem?: TestProblem | null }) {
  if (problem) {
    const { lead, detail } = describeTestProblem(problem);
    return (
      <Alert variant="destructive">
        <AlertTitle>{lead}</AlertTitle>
        {detail ? <p>{detail}</p> : null}
      </Alert>
    );
  }
  if (!info) return null;
  const versions = [info.woocommerce_version && `WooCommerce ${info.woocommerce_version}`, info.wordpress_version && `WordPress ${info.wordpress_version}`]
    .filter(Boolean)
    .join(", ");
  return (
    <Alert variant="success">
      <AlertTitle>Connection works</AlertTitle>
      <p>
        {info.product_count} products in {info.currency}
        {versions ? ` · ${versions}` : ""}.
      </p>
    </Alert>
  );
}
