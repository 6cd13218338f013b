import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiProblem, describeError } from "@/api/problem";

/** Puts the server's field errors (problem+json `errors[]`) on the form's fields; returns
 * the message for the form as a whole when no field took it. */
export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  if (!(error instanceof ApiProblem)) return describeError(error);
  let placed = 0;
  for (const fieldError of error.fieldErrors) {
    const name = fieldError.field.split(".").pop() as Path<T> | undefined;
    if (name && fields.includes(name)) {
      setError(name, { type: "server", message: fieldError.message });
      placed += 1;
    }
  }
  return placed > 0 && placed === error.fieldErrors.length ? null : error.friendly;
}
