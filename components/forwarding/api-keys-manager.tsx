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
import { API_KEY_SCOPES } from "@/lib/security/api-key-scopes";

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedAddress: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
};

const SCOPE_HELP: Record<(typeof API_KEY_SCOPES)[number], string> = {
  "events:read": "read the event feed (/api/v1/events)",
  "deposits:read": "read deposits (/api/v1/deposits/<id>)",
  "skinsback:call": "call SkinsBack through the signed proxy (/api/skinsback/<method>)",
};

/** The admin's page: create a key (shown once), see each key's last use, revoke. */
export function ApiKeysManager({ initial }: { initial: ApiKeyRow[] }) {
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const keys = useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: () => callApi<{ keys: ApiKeyRow[] }>("/api/settings/api-keys").then((b) => b.keys),
    initialData: initial,
  });
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
  const create = useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) =>
      callApi<{ key: string; apiKey: ApiKeyRow }>("/api/settings/api-keys", { method: "POST", json: input }),
    onSuccess: (created) => {
      setShown({ name: created.apiKey.name, key: created.key });
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      callApi(`/api/settings/api-keys/${encodeURIComponent(id)}/revoke`, { method: "POST" }),
    onSettled: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setShown(null);
    create.mutate(
      { name: String(data.get("name") ?? ""), scopes: data.getAll("scopes").map(String) },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <div className="space-y-6">
      {shown && (
        <ShownOnce
          testId="api-key-shown"
          title={`API key ${shown.name} — shown this once:`}
          value={shown.key}
          copyLabel="Copy key"
          note="Only a hash is kept: a lost key is revoked and made again."
        />
      )}
      {revoke.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Not revoked: {revoke.error.message}
        </p>
      )}
      <LogTable
        testId="api-key-rows"
        columns={[
          ...columns("Key", "Scopes", "Created", "Last used"),
          { key: "actions", label: <span className="sr-only">Actions</span> },
        ]}
        empty={keys.data.length === 0 && "No API key yet."}
      >
        {keys.data.map((k) => (
          <tr key={k.id} data-key={k.name}>
            <td className="px-3 py-2">
              <span className="block font-medium">{k.name}</span>
              <code className="text-xs text-slate-500">{k.prefix}…</code>
            </td>
            <td className="px-3 py-2 font-mono text-xs">{k.scopes.join(", ")}</td>
            <td className="px-3 py-2 text-xs text-slate-500">
              <Time value={k.createdAt} /> by {k.createdBy}
            </td>
            <td className="px-3 py-2 text-xs">
              {k.lastUsedAt ? (
                <>
                  <Time value={k.lastUsedAt} /> from {k.lastUsedAddress ?? "?"}
                </>
              ) : (
                "never"
              )}
            </td>
            <td className="px-3 py-2 text-right">
              {k.revokedAt ? (
                <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs text-rose-800">
                  revoked <Time value={k.revokedAt} />
                </span>
              ) : (
                <Button
                  size="xs"
                  variant="danger"
                  disabled={revoke.isPending}
                  onClick={() => {
                    if (
                      window.confirm(`Revoke ${k.name}? Every instance refuses it from the next request.`)
                    ) {
                      revoke.mutate(k.id);
                    }
                  }}
                >
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </LogTable>
      <form
        method="post"
        onSubmit={submit}
        className="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 className="font-medium">Create an API key</h2>
        <label className="block text-sm">
          <span className="font-medium">Name</span>
          <input
            name="name"
            required
            maxLength={64}
            placeholder="game backend"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <fieldset className="text-sm">
          <legend className="font-medium">Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="mt-1 flex items-center gap-2">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "events:read"} />
              <code className="text-xs">{scope}</code>
              <span className="text-xs text-slate-500">{SCOPE_HELP[scope]}</span>
            </label>
          ))}
        </fieldset>
        {create.isError && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            Not created: {create.error.message}
          </p>
        )}
        <Button type="submit" variant="primary" size="md" disabled={!hydrated || create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </Button>
      </form>
    </div>
  );
}
