// problem+json (RFC 9457) as the merchant API sends it, turned into words a merchant reads.

export type FieldError = { location?: string; field: string; message: string; type?: string };

export type ProblemBody = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
};

/** Plain-language messages for the codes a merchant meets; the server's `detail` is kept
 * when the code is not listed (it is already written for people). */
const FRIENDLY: Record<string, string> = {
  invalid_credentials: "That email and password do not match an account.",
  email_taken: "An account with this email already exists. Sign in instead, or reset your password.",
  too_many_attempts: "Too many attempts. Wait a minute and try again.",
  rate_limited: "Too many requests. Wait a moment and try again.",
  not_signed_in: "Your session has ended. Sign in again.",
  token_expired: "Your session has ended. Sign in again.",
  refresh_token_reused: "For your safety we signed you out everywhere. Sign in again.",
  csrf_failed: "Your session could not be confirmed. Reload the page and sign in again.",
  forbidden: "Your role does not allow this. Ask the business owner.",
  insufficient_role: "Your role does not allow this. Ask the business owner or an admin.",
  conflict: "Someone else is doing this right now. Wait a moment and reload.",
  billing_not_configured: "Online payments are not set up on this Shopbot server; your plan is managed by the operator.",
  billing_unavailable: "The payment provider did not answer. Try again in a minute.",
  llm_base_url_requires_api_key: "Your own model endpoint needs your own API key.",
  not_found: "This item no longer exists, or belongs to another business.",
  network_error: "Shopbot could not be reached. Check your connection and try again.",
  internal_error: "Something went wrong on our side. Try again in a moment.",
};

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    super(body.detail ?? body.title ?? `Request failed (${status})`);
    this.name = "ApiProblem";
    this.status = status;
    this.code = body.code ?? (status === 0 ? "network_error" : `http_${status}`);
    this.body = body;
  }

  /** What to show the merchant. */
  get friendly(): string {
    return FRIENDLY[this.code] ?? this.body.detail ?? this.body.title ?? this.message;
  }

  get fieldErrors(): FieldError[] {
    return Array.isArray(this.body.errors) ? this.body.errors : [];
  }
}

export function toProblem(status: number, payload: unknown): ApiProblem {
  if (payload && typeof payload === "object") return new ApiProblem(status, payload as ProblemBody);
  return new ApiProblem(status, { detail: typeof payload === "string" && payload ? payload : undefined });
}

export function networkProblem(): ApiProblem {
  return new ApiProblem(0, { code: "network_error", title: "Network error" });
}

/** A human sentence for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return error.friendly;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
