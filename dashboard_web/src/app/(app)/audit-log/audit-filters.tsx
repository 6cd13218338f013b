"use client";

import { zodResolver } from "@/lib/zod-resolver";
import { useForm } from "react-hook-form";
import type { components } from "@/api/schema";
import { FormField } from "@/components/form-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { auditFilterSchema, type AuditFilterValues } from "@/lib/schemas/account";

type Member = components["schemas"]["MemberOut"];

// Suggestions only: the field takes any action name, since new ones appear as features do.
const KNOWN_ACTIONS = [
  "auth.login_failed",
  "auth.password_reset",
  "auth.refresh_token_reused",
  "api_key.created",
  "api_key.revoked",
  "team.invitation_created",
  "team.invitation_accepted",
  "team.invitation_revoked",
  "team.role_changed",
  "team.member_removed",
  "store.disconnected",
  "store.sync_started",
  "bot.deleted",
  "bot.widget_key_rotated",
];

const EMPTY: AuditFilterValues = { action: "", actor: "", from: "", to: "" };

export function AuditFilters({ members, onApply }: { members: Member[]; onApply: (filters: AuditFilterValues) => void }) {
  const form = useForm<AuditFilterValues>({ resolver: zodResolver(auditFilterSchema), defaultValues: EMPTY });
  const { errors } = form.formState;

  return (
    <form
      onSubmit={form.handleSubmit(onApply)}
      noValidate
      aria-label="Filter the audit log"
      className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto] lg:items-end"
    >
      <FormField label="Action" error={errors.action?.message}>
        <Input list="audit-actions" placeholder="e.g. team.role_changed" {...form.register("action")} />
      </FormField>
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <FormField label="Actor">
        <NativeSelect {...form.register("actor")}>
          <option value="">Anyone</option>
          {members.map((member) => (
            <option key={member.user_id} value={member.user_id}>
              {member.email}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField label="From" error={errors.from?.message}>
        <Input type="date" {...form.register("from")} />
      </FormField>
      <FormField label="To" error={errors.to?.message}>
        <Input type="date" {...form.register("to")} />
      </FormField>
      <div className="flex gap-2">
        <Button type="submit">Apply filters</Button>
        <Button
          type="button"
          variant="outline"
          onClick={() => {
            form.reset(EMPTY);
            onApply(EMPTY);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
