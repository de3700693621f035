"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { ShownOnce } from "@/components/ui/shown-once";
import type { ChannelInput } from "@/lib/alerts/channels";

type Kind = ChannelInput["kind"];

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "email", label: "E-mail (SMTP)" },
  { kind: "slack", label: "Slack incoming webhook" },
  { kind: "discord", label: "Discord webhook" },
  { kind: "telegram", label: "Telegram bot" },
  { kind: "webhook", label: "JSON webhook (signed)" },
];

const INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1";

function channelFrom(kind: Kind, data: FormData, generatedSecret: string | null): ChannelInput {
  const text = (name: string) => String(data.get(name) ?? "").trim();
  switch (kind) {
    case "email":
      return {
        kind,
        smtpUrl: text("smtpUrl"),
        to: text("to")
          .split(",")
          .map((a) => a.trim())
          .filter(Boolean),
        ...(text("from") ? { from: text("from") } : {}),
      };
    case "slack":
    case "discord":
      return { kind, webhookUrl: text("webhookUrl") };
    case "telegram":
      return {
        kind,
        botToken: text("botToken"),
        chatId: text("chatId"),
        ...(text("apiBase") ? { apiBase: text("apiBase") } : {}),
      };
    case "webhook": {
      const secret = text("secret") || generatedSecret;
      return { kind, url: text("url"), ...(secret ? { secret } : {}) };
    }
  }
}

/**
 * A new channel: its address, a test message sent before saving (Save is offered once the test reached it, for
 * exactly what was tested), then saved. A JSON webhook's generated secret is shown once.
 */
/** A Standard Webhooks secret made in the browser: `whsec_` and the base64 of 32 random bytes. */
function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export function ChannelForm({ onSaved }: { onSaved: () => void }) {
  const [kind, setKind] = useState<Kind>("slack");
  const [tested, setTested] = useState<string | null>(null);
  const [generated, setGenerated] = useState<string | null>(null);
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const snapshot = () => {
    if (!form) return null;
    const data = new FormData(form);
    return {
      name: String(data.get("name") ?? "").trim(),
      channel: channelFrom(kind, data, generated),
      allowPrivateNetwork: data.get("allowPrivateNetwork") === "on",
    };
  };
  const test = useMutation({
    mutationFn: (body: { channel: ChannelInput; allowPrivateNetwork: boolean }) =>
      callApi<{ ok: true; secret?: string } | { ok: false; error: string }>(
        "/api/settings/alerts/channels/test",
        {
          method: "POST",
          json: body,
        },
      ),
    onSuccess: (result, body) => {
      if (!result.ok) return setTested(null);
      if (result.secret) setGenerated(result.secret);
      const withSecret =
        result.secret && body.channel.kind === "webhook"
          ? { ...body.channel, secret: result.secret }
          : body.channel;
      setTested(JSON.stringify({ channel: withSecret, allowPrivateNetwork: body.allowPrivateNetwork }));
    },
  });
  const save = useMutation({
    mutationFn: (body: NonNullable<ReturnType<typeof snapshot>>) =>
      callApi<{ secret?: string }>("/api/settings/alerts/channels", { method: "POST", json: body }),
    onSuccess: (_result, body) => {
      if (body.channel.kind === "webhook" && body.channel.secret) setShownSecret(body.channel.secret);
      setTested(null);
      setGenerated(null);
      form?.reset();
      onSaved();
    },
  });
  const current = snapshot();
  const currentKey = current
    ? JSON.stringify({ channel: current.channel, allowPrivateNetwork: current.allowPrivateNetwork })
    : null;
  const readyToSave = tested !== null && tested === currentKey;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = snapshot();
    if (body && readyToSave) save.mutate(body);
  };
  const [, rerender] = useState(0);
  return (
    <div className="space-y-3">
      {shownSecret && (
        <ShownOnce
          testId="alert-secret"
          title="The channel's signing secret (shown once)"
          value={shownSecret}
          copyLabel="Copy secret"
          note="Verify each alert's webhook-signature with it (Standard Webhooks)."
        />
      )}
      <form
        method="post"
        ref={setForm}
        onSubmit={submit}
        onInput={() => rerender((n) => n + 1)}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
        data-testid="channel-form"
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <label>
            <span className="text-xs text-slate-500">Name</span>
            <input name="name" required maxLength={80} placeholder="ops on call" className={INPUT} />
          </label>
          <label>
            <span className="text-xs text-slate-500">Kind</span>
            <select
              name="kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
                setTested(null);
              }}
              className={INPUT}
            >
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {kind === "email" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="sm:col-span-2">
              <span className="text-xs text-slate-500">SMTP URL (its password is kept secret)</span>
              <input
                name="smtpUrl"
                required
                placeholder="smtps://user:password@smtp.example:465"
                className={INPUT}
                autoComplete="off"
              />
            </label>
            <label>
              <span className="text-xs text-slate-500">To (comma-separated)</span>
              <input name="to" required placeholder="ops@shop.example" className={INPUT} />
            </label>
            <label>
              <span className="text-xs text-slate-500">From (optional)</span>
              <input name="from" placeholder="console@shop.example" className={INPUT} />
            </label>
          </div>
        )}
        {(kind === "slack" || kind === "discord") && (
          <label className="block">
            <span className="text-xs text-slate-500">
              {kind === "slack" ? "Slack incoming webhook URL" : "Discord webhook URL"} (kept secret)
            </span>
            <input name="webhookUrl" required type="url" className={INPUT} autoComplete="off" />
          </label>
        )}
        {kind === "telegram" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <label>
              <span className="text-xs text-slate-500">Bot token (kept secret)</span>
              <input
                name="botToken"
                required
                placeholder="123456:ABC-DEF…"
                className={INPUT}
                autoComplete="off"
              />
            </label>
            <label>
              <span className="text-xs text-slate-500">Chat id</span>
              <input name="chatId" required placeholder="-1001234567890" className={INPUT} />
            </label>
            <label className="sm:col-span-2">
              <span className="text-xs text-slate-500">
                Bot API base URL (optional; default https://api.telegram.org)
              </span>
              <input name="apiBase" type="url" className={INPUT} />
            </label>
          </div>
        )}
        {kind === "webhook" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="sm:col-span-2">
              <span className="text-xs text-slate-500">URL that takes the alerts' JSON</span>
              <input name="url" required type="url" className={INPUT} />
            </label>
            <div className="sm:col-span-2">
              <label htmlFor="alert-channel-secret" className="text-xs text-slate-500">
                Signing secret: paste your receiver's, or generate one and give it to your receiver before the
                test (so the very first message verifies). Left empty, the test makes one.
              </label>
              <div className="flex gap-2">
                <input
                  id="alert-channel-secret"
                  name="secret"
                  placeholder="whsec_…"
                  className={INPUT}
                  autoComplete="off"
                />
                <Button
                  size="sm"
                  onClick={(event) => {
                    const input = event.currentTarget.form?.elements.namedItem("secret");
                    if (input instanceof HTMLInputElement) input.value = newWebhookSecret();
                    rerender((n) => n + 1);
                  }}
                >
                  Generate
                </Button>
              </div>
            </div>
          </div>
        )}
        <label className="flex items-center gap-2">
          <input type="checkbox" name="allowPrivateNetwork" />
          <span>It is on the internal network (allow loopback and private addresses)</span>
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="secondary"
            size="sm"
            disabled={test.isPending}
            onClick={() => {
              const body = snapshot();
              if (body) test.mutate({ channel: body.channel, allowPrivateNetwork: body.allowPrivateNetwork });
            }}
          >
            {test.isPending ? "Sending…" : "Send test"}
          </Button>
          <Button type="submit" variant="primary" size="sm" disabled={!readyToSave || save.isPending}>
            {save.isPending ? "Saving…" : "Save channel"}
          </Button>
          {!readyToSave && !test.isPending && (
            <span className="text-xs text-slate-500">
              Send a test first: Save is offered once it arrived.
            </span>
          )}
          {test.data && !test.data.ok && (
            <span role="alert" className="text-rose-800">
              The test did not arrive: {test.data.error}
            </span>
          )}
          {test.isError && (
            <span role="alert" className="text-rose-800">
              {test.error.message}
            </span>
          )}
          {readyToSave && (
            <span role="status" className="text-emerald-800" data-testid="test-arrived">
              The test was accepted. Check it arrived, then save.
            </span>
          )}
          {save.isError && (
            <span role="alert" className="text-rose-800">
              {save.error.message}
            </span>
          )}
        </div>
        {generated && kind === "webhook" && (
          <ShownOnce
            testId="alert-generated-secret"
            title="The secret the test was signed with (saved with the channel)"
            value={generated}
            copyLabel="Copy secret"
            note="Shown until the channel is saved, and never again."
          />
        )}
      </form>
    </div>
  );
}
