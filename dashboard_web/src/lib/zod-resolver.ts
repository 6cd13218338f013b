// React Hook Form's resolver for zod/mini schemas. @hookform/resolvers' zod resolver also
// imports zod v3 to recognise old schemas, which put ~30 KB gzipped into every form's
// first load; this one uses only zod/mini's own `safeParseAsync`.
import type { FieldErrors, FieldValues, Resolver } from "react-hook-form";
import { z } from "zod/mini";

type Issue = { path: PropertyKey[]; message: string; code: string };

function toErrors<T extends FieldValues>(issues: readonly Issue[]): FieldErrors<T> {
  const errors: Record<string, unknown> = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (path.length === 0) path.push("root");
    let node = errors;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        // The first issue of a field is the one to show.
        node[segment] ??= { type: issue.code, message: issue.message };
      } else {
        node = (node[segment] ??= {}) as Record<string, unknown>;
      }
    });
  }
  return errors as FieldErrors<T>;
}

export function zodResolver<Input extends FieldValues, Output extends FieldValues = Input>(
  schema: z.ZodMiniType<Output, Input>,
): Resolver<Input, unknown, Output> {
  return async (values) => {
    const result = await z.safeParseAsync(schema, values);
    if (result.success) return { values: result.data, errors: {} };
    return { values: {}, errors: toErrors<Input>(result.error.issues as Issue[]) };
  };
}
