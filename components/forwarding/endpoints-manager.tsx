"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
import { forwardEndpointHref } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { Button } from "@/components/ui/button";
import { ShownOnce } from "@/components/ui/shown-once";
import { Time } from "@/components/ui/time";
import { useHydrated } from "@/components/ui/use-hydrated";
import { DEPOSIT_EVENT_TYPES } from "@/lib/forwarding/event-types";
import { EndpointStateChip } from "./endpoint-state-chip";

export type EndpointRow = {
  id: string;
  name: string;
  url: string;
  description: string;
  format: "standard" | "skinsback";
  eventTypes: string[];
  state: "enabled" | "paused" | "disabled";
  allowPrivateNetwork: boolean;
  concurrency: number;
  origin: string;
  secretHint: string;
  rotating: boolean;
  previousSecretUntil: string | null;
  skinsbackEncoding: "json" | "form";
};

const INPUT = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";

/** The form's fields as the API's input (shared by create and edit). */
function endpointInput(form: FormData) {
  const skinsbackSecret = String(form.get("skinsbackSecret") ?? "");
  return {
    name: String(form.get("name") ?? ""),
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    format: String(form.get("format") ?? "standard") as EndpointRow["format"],
    eventTypes: form.getAll("eventTypes").map(String),
    allowPrivateNetwork: form.get("allowPrivateNetwork") === "on",
    skinsbackEncoding: String(form.get("skinsbackEncoding") ?? "json") as EndpointRow["skinsbackEncoding"],
    concurrency: Number(form.get("concurrency") ?? 8),
    ...(skinsbackSecret ? { skinsbackSecret } : {}),
  };
}

function EndpointFields({ endpoint }: { endpoint?: EndpointRow }) {
  // The drop-in format's own fields show only when that format is chosen.
  const [format, setFormat] = useState<EndpointRow["format"]>(endpoint?.format ?? "standard");
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <label className="block text-sm">
        <span className="font-medium">Name</span>
        <input name="name" required maxLength={64} defaultValue={endpoint?.name} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="font-medium">URL</span>
        <input
          name="url"
          type="url"
          required
          defaultValue={endpoint?.url}
          placeholder="https://game.example/webhooks/skinsback"
          className={INPUT}
        />
      </label>
      <label className="block text-sm sm:col-span-2">
        <span className="font-medium">Description</span>
        <input name="description" maxLength={500} defaultValue={endpoint?.description} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="font-medium">Format</span>
        <select
          name="format"
          value={format}
          onChange={(e) => setFormat(e.target.value as EndpointRow["format"])}
          className={INPUT}
        >
          <option value="standard">standard — Standard Webhooks, JSON</option>
          <option value="skinsback">skinsback — drop-in for an existing SkinsBack handler</option>
        </select>
      </label>
      <label className="block text-sm">
        <span className="font-medium">In flight at once</span>
        <input
          name="concurrency"
          type="number"
          min={1}
          max={64}
          defaultValue={endpoint?.concurrency ?? 8}
          className={INPUT}
        />
      </label>
      {format === "skinsback" && (
        <>
          <label className="block text-sm">
            <span className="font-medium">SkinsBack format: encoding</span>
            <select
              name="skinsbackEncoding"
              defaultValue={endpoint?.skinsbackEncoding ?? "json"}
              className={INPUT}
            >
              <option value="json">JSON</option>
              <option value="form">form</option>
            </select>
          </label>
          <label className="block text-sm">
            <span className="font-medium">SkinsBack format: own secret (optional)</span>
            <input
              name="skinsbackSecret"
              type="password"
              autoComplete="off"
              placeholder="the project's client secret"
              className={INPUT}
            />
          </label>
        </>
      )}
      <fieldset className="text-sm sm:col-span-2">
        <legend className="font-medium">Event types (none ticked: every change)</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {DEPOSIT_EVENT_TYPES.map((type) => (
            <label key={type} className="inline-flex items-center gap-1 font-mono text-xs">
              <input
                type="checkbox"
                name="eventTypes"
                value={type}
                defaultChecked={endpoint?.eventTypes.includes(type)}
              />
              {type}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="inline-flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" name="allowPrivateNetwork" defaultChecked={endpoint?.allowPrivateNetwork} />
        <span>
          Internal network: allow loopback and private addresses (your backend is on this machine or your LAN)
        </span>
      </label>
    </div>
  );
}

/** The admin's page: add endpoints (the secret is shown once), change them, rotate a secret. */
export function EndpointsManager({ initial }: { initial: EndpointRow[] }) {
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const endpoints = useQuery({
    queryKey: queryKeys.forwardEndpoints,
    queryFn: () => callApi<{ endpoints: EndpointRow[] }>("/api/settings/forwarding").then((b) => b.endpoints),
    initialData: initial,
  });
  const [secret, setSecret] = useState<{ name: string; secret: string; rotated: boolean } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.forwardEndpoints });
  const create = useMutation({
    mutationFn: (input: ReturnType<typeof endpointInput>) =>
      callApi<{ endpoint: EndpointRow; secret: string }>("/api/settings/forwarding", {
        method: "POST",
        json: input,
      }),
    onSuccess: (created) => {
      setSecret({ name: created.endpoint.name, secret: created.secret, rotated: false });
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: ReturnType<typeof endpointInput> }) =>
      callApi(`/api/settings/forwarding/${encodeURIComponent(id)}`, { method: "PATCH", json: input }),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (e: EndpointRow) =>
      callApi<{ secret: string }>(`/api/settings/forwarding/${encodeURIComponent(e.id)}/rotate-secret`, {
        method: "POST",
      }).then((r) => ({ name: e.name, secret: r.secret })),
    onSuccess: (r) => {
      setSecret({ ...r, rotated: true });
      refresh();
    },
  });

  const submitCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setSecret(null);
    create.mutate(endpointInput(new FormData(form)), { onSuccess: () => form.reset() });
  };

  return (
    <div className="space-y-6">
      {secret && (
        <ShownOnce
          testId="endpoint-secret"
          title={`${secret.rotated ? "New signing secret" : "Signing secret"} of ${secret.name} — shown this once:`}
          value={secret.secret}
          copyLabel="Copy secret"
          note={
            secret.rotated
              ? "The previous secret keeps signing beside it for 24 hours: deploy this one before then."
              : "Give it to your backend to verify webhook-signature (README: Connect your backend)."
          }
        />
      )}
      {(update.isError || rotate.isError) && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Not changed: {(update.error ?? rotate.error)?.message}
        </p>
      )}
      <ul className="space-y-3" data-testid="endpoint-settings">
        {endpoints.data.length === 0 && (
          <li className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-500">
            No endpoint yet: add your backend below.
          </li>
        )}
        {endpoints.data.map((e) => (
          <li
            key={e.id}
            className="rounded-lg border border-slate-200 bg-white p-4 text-sm"
            data-endpoint={e.name}
          >
            <div className="flex flex-wrap items-center gap-2">
              <Link href={forwardEndpointHref(e.id)} className="font-medium text-sky-700 hover:underline">
                {e.name}
              </Link>
              <EndpointStateChip state={e.state} />
              <span className="text-xs text-slate-500">
                {e.format} · secret {e.secretHint}
                {e.rotating && e.previousSecretUntil && (
                  <>
                    {" "}
                    · previous signs until <Time value={e.previousSecretUntil} />
                  </>
                )}
                {e.origin !== "console" &&
                  ` · from ${e.origin === "environment" ? "CONSOLE_FORWARD_URL" : "the sandbox"}`}
              </span>
              <span className="ml-auto flex gap-2">
                <Button size="xs" onClick={() => setEditing(editing === e.id ? null : e.id)}>
                  {editing === e.id ? "Close" : "Edit"}
                </Button>
                <Button
                  size="xs"
                  disabled={rotate.isPending}
                  onClick={() => {
                    if (window.confirm(`Rotate the signing secret of ${e.name}? Both sign for 24 hours.`))
                      rotate.mutate(e);
                  }}
                >
                  Rotate secret
                </Button>
              </span>
            </div>
            <p className="mt-1 font-mono text-xs break-all text-slate-600">{e.url}</p>
            {editing === e.id && (
              <form
                className="mt-3 space-y-3 border-t border-slate-100 pt-3"
                onSubmit={(event) => {
                  event.preventDefault();
                  update.mutate({ id: e.id, input: endpointInput(new FormData(event.currentTarget)) });
                }}
              >
                <EndpointFields endpoint={e} />
                <Button type="submit" variant="primary" size="md" disabled={update.isPending}>
                  {update.isPending ? "Saving…" : "Save"}
                </Button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form
        method="post"
        onSubmit={submitCreate}
        className="max-w-3xl space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 className="font-medium">Add an endpoint</h2>
        <EndpointFields />
        {create.isError && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            Not added: {create.error.message}
          </p>
        )}
        <Button type="submit" variant="primary" size="md" disabled={!hydrated || create.isPending}>
          {create.isPending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>
    </div>
  );
}
