// A failed connection test in the merchant's words. The server's `detail` already names
// the fix; the lead sentence says what kind of problem it is.
import { ApiProblem } from "@/api/problem";

export type TestProblem = { code: string; title: string; detail: string };

const LEADS: Record<string, string> = {
  woocommerce_credentials_rejected: "The store did not accept these keys.",
  woocommerce_permission_denied: "These keys need Read/Write permission.",
  woocommerce_not_installed: "This site does not look like a WooCommerce store.",
  woocommerce_wrong_url: "No WordPress site answers at this address.",
  woocommerce_permalinks_plain: "The store's permalinks are set to Plain.",
  woocommerce_store_moved: "The store redirects to another address.",
  woocommerce_insecure_url: "The address must start with https:// so the keys travel encrypted.",
  woocommerce_unreachable: "The store could not be reached (offline, wrong address or a certificate problem).",
  woocommerce_server_error: "The store reported an internal error.",
  woocommerce_rate_limited: "The store is limiting requests right now.",
  woocommerce_malformed_response: "The store answered with data Shopbot could not read.",
  url_not_allowed: "Shopbot does not connect to internal or private network addresses.",
};

export function describeTestProblem(problem: TestProblem): { lead: string; detail: string } {
  return { lead: LEADS[problem.code] ?? problem.title, detail: problem.detail };
}

/** Connect and credential replacement answer a failed test as a problem+json error. */
export function problemFromError(error: unknown): TestProblem | null {
  if (!(error instanceof ApiProblem) || !(error.code in LEADS)) return null;
  return { code: error.code, title: error.body.title ?? "", detail: error.body.detail ?? "" };
}
