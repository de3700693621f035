"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { Button } from "@/components/ui/button";
import { columns, LogTable } from "@/components/ui/log-table";
import { ShownOnce } from "@/components/ui/shown-once";
import { Time } from "@/components/ui/time";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { OperatorRole } from "@/lib/auth/roles";

export type OperatorRow = {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  disabledAt: string | null;
  createdAt: string;
};

const ROLES: { value: OperatorRole; label: string }[] = [
  { value: "viewer", label: "Viewer: reads everything" },
  { value: "operator", label: "Operator: also replays, approves, refreshes" },
  { value: "admin", label: "Admin: also manages operators and settings" },
];

/** The admin's page: list, create (the one-time password is shown once), change role, disable / enable. */
export function OperatorsManager({ initial, me }: { initial: OperatorRow[]; me: string }) {
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const operators = useQuery({
    queryKey: queryKeys.operators,
    queryFn: () => callApi<{ operators: OperatorRow[] }>("/api/operators").then((b) => b.operators),
    initialData: initial,
  });
  const [handOver, setHandOver] = useState<{ email: string; password: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.operators });

  const create = useMutation({
    mutationFn: (input: { name: string; email: string; role: OperatorRole }) =>
      callApi<{ operator: OperatorRow; oneTimePassword: string }>("/api/operators", {
        method: "POST",
        json: input,
      }),
    onSuccess: (created) => {
      setHandOver({ email: created.operator.email, password: created.oneTimePassword });
      refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({
      id,
      patch,
    }: {
      id: string;
      patch: { role?: OperatorRole; disabled?: boolean; revokeApiKeys?: boolean };
    }) => callApi(`/api/operators/${encodeURIComponent(id)}`, { method: "PATCH", json: patch }),
    onSettled: refresh,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setHandOver(null);
    create.mutate(
      {
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        role: String(form.get("role") ?? "viewer") as OperatorRole,
      },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  };

  return (
    <div className="space-y-6">
      {change.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Not changed: {change.error.message}
        </p>
      )}
      <LogTable
        testId="operator-rows"
        columns={[
          ...columns("Operator", "Role", "Status", "Created"),
          { key: "actions", label: <span className="sr-only">Actions</span> },
        ]}
      >
        {operators.data.map((o) => (
          <tr key={o.id} data-email={o.email}>
            <td className="px-3 py-2">
              <span className="block font-medium">{o.name}</span>
              <span className="text-slate-500">{o.email}</span>
              {o.id === me && <span className="ml-1 text-xs text-slate-500">(you)</span>}
            </td>
            <td className="px-3 py-2">
              <select
                aria-label={`Role of ${o.email}`}
                value={o.role}
                disabled={change.isPending}
                onChange={(e) => {
                  const role = e.target.value as OperatorRole;
                  if (window.confirm(`Change ${o.email} from ${o.role} to ${role}?`)) {
                    change.mutate({ id: o.id, patch: { role } });
                  } else {
                    e.target.value = o.role;
                  }
                }}
                className="rounded border border-slate-300 bg-white px-2 py-1"
              >
                {ROLES.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.value}
                  </option>
                ))}
              </select>
            </td>
            <td className="px-3 py-2">
              {o.disabledAt ? (
                <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs text-rose-800">
                  disabled <Time value={o.disabledAt} />
                </span>
              ) : (
                <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">
                  active
                </span>
              )}
            </td>
            <td className="px-3 py-2 text-slate-500">
              <Time value={o.createdAt} />
            </td>
            <td className="px-3 py-2 text-right">
              <Button
                type="button"
                disabled={change.isPending}
                onClick={() => {
                  const disable = o.disabledAt === null;
                  const question = disable
                    ? `Disable ${o.email}? Their sessions end at once and they can no longer sign in.`
                    : `Enable ${o.email} again?`;
                  if (!window.confirm(question)) return;
                  // API keys belong to the console, not to whoever made them: revoking theirs is a choice.
                  const revokeApiKeys =
                    disable &&
                    window.confirm(
                      `Also revoke the API keys ${o.email} made? Backends using them stop being let in. (Cancel keeps them working.)`,
                    );
                  change.mutate({
                    id: o.id,
                    patch: disable
                      ? { disabled: true, ...(revokeApiKeys ? { revokeApiKeys } : {}) }
                      : { disabled: false },
                  });
                }}
                variant="secondary"
                size="xs"
              >
                {o.disabledAt ? "Enable" : "Disable"}
              </Button>
            </td>
          </tr>
        ))}
      </LogTable>

      <form
        method="post"
        onSubmit={submit}
        className="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 className="font-medium">Add an operator</h2>
        <div className="grid gap-3 sm:grid-cols-2">
          <label className="block text-sm">
            <span className="font-medium">Name</span>
            <input
              name="name"
              required
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <label className="block text-sm">
            <span className="font-medium">Email</span>
            <input
              name="email"
              type="email"
              required
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
        </div>
        <label className="block text-sm">
          <span className="font-medium">Role</span>
          <select
            name="role"
            defaultValue="viewer"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {create.isError && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            Not created: {create.error.message}
          </p>
        )}
        <Button type="submit" disabled={!hydrated || create.isPending} variant="primary" size="md">
          {create.isPending ? "Creating…" : "Create operator"}
        </Button>
        {handOver && (
          <ShownOnce
            testId="one-time-password"
            title={`Hand this password to ${handOver.email} now.`}
            value={handOver.password}
            copyLabel="Copy password"
            note="It is shown once and stored only as a hash."
          />
        )}
      </form>
    </div>
  );
}
