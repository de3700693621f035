import net from "node:net";
import nodemailer from "nodemailer";
import { z } from "zod";
import { isStandardWebhookSecret } from "@/lib/config";
import type { AlertChannel, AlertChannelKind, AlertMessageKind } from "@/lib/db/schema";
import { postMessage } from "@/lib/forwarding/http-post";
import { standardHeaders } from "@/lib/forwarding/message-request";
import { checkedAddress, targetProblem } from "@/lib/forwarding/network-guard";
import { REDACTED } from "@/lib/security/secret-names";

/**
 * The alert channels: what each kind needs (validated when an admin saves one), what may be shown of it, and one
 * `sendAlert` that speaks each kind's format. HTTP channels go through forwarding's `postMessage` (no redirects,
 * a deadline, internal addresses refused at connection time); e-mail through nodemailer over SMTP.
 */

export const ALERT_USER_AGENT = "SkinsBack-Console-Alerts/1";
const SEND_TIMEOUT_MS = 10_000;

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `must be the ${what} (an http or https URL)` }).max(2_000);

/** What an admin gives for each kind. `secret` fields are shown once, when saved. */
export const channelInputSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("email"),
    smtpUrl: z
      .string()
      .trim()
      .max(2_000)
      .regex(
        /^smtps?:\/\/[^\s/]+(:\d{1,5})?\/?(\?[^\s]*)?$/,
        "must be an smtp:// or smtps:// URL, e.g. smtps://user:pass@smtp.example:465",
      )
      .refine(
        readableSmtpUrl,
        "must be an smtp:// or smtps:// URL with a host, a port up to 65535 and %-encoded user and password",
      ),
    to: z.array(z.email("must be an e-mail address")).min(1, "give at least one address").max(20),
    from: z.email("must be an e-mail address").optional(),
  }),
  z.strictObject({ kind: z.literal("slack"), webhookUrl: httpUrl("Slack incoming webhook URL") }),
  z.strictObject({ kind: z.literal("discord"), webhookUrl: httpUrl("Discord webhook URL") }),
  z.strictObject({
    kind: z.literal("telegram"),
    botToken: z
      .string()
      .trim()
      .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, "must be a bot token from @BotFather, e.g. 123456:ABC-DEF…"),
    chatId: z
      .string()
      .trim()
      .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{4,64})$/, "must be a chat id (digits) or @channel"),
    apiBase: httpUrl("Telegram Bot API base URL").optional(),
  }),
  z.strictObject({
    kind: z.literal("webhook"),
    url: httpUrl("URL that takes the alerts' JSON"),
    secret: z
      .string()
      .refine(isStandardWebhookSecret, "must be whsec_ followed by the base64 of at least 24 bytes")
      .optional(),
  }),
]);
export type ChannelInput = z.infer<typeof channelInputSchema>;

export const TELEGRAM_API_BASE = "https://api.telegram.org";

/** An SMTP URL the sender can read as it will: it parses, has a host, and its user and password decode. */
function readableSmtpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return false;
  }
  // smtp: is not a special scheme to URL, so its host is opaque ("%" passes): it must also be an http host.
  return (
    url.hostname !== "" &&
    URL.canParse(`http://${url.host}`) &&
    (url.port === "" || Number(url.port) <= 65_535)
  );
}

/** A channel as it is stored: `target` may be shown, `secret` may not. */
export function storedChannel(
  input: ChannelInput,
  generatedSecret: () => string,
): { target: Record<string, string>; secret: string } {
  switch (input.kind) {
    case "email":
      return {
        target: { to: input.to.join(", "), ...(input.from ? { from: input.from } : {}) },
        secret: input.smtpUrl,
      };
    case "slack":
    case "discord":
      return { target: { host: new URL(input.webhookUrl).host }, secret: input.webhookUrl };
    case "telegram":
      return {
        target: { chatId: input.chatId, apiBase: input.apiBase ?? TELEGRAM_API_BASE },
        secret: input.botToken,
      };
    case "webhook":
      return { target: { url: input.url }, secret: input.secret ?? generatedSecret() };
  }
}

export type ChannelView = {
  id: number;
  name: string;
  kind: AlertChannelKind;
  enabled: boolean;
  source: "console" | "environment";
  allowPrivateNetwork: boolean;
  /** In words, without the secret: "Slack (hooks.slack.com)", "e-mail to ops@…". */
  summary: string;
  createdBy: string;
  createdAt: string;
};

export const CHANNEL_KIND_LABELS: Record<AlertChannelKind, string> = {
  email: "E-mail",
  slack: "Slack",
  discord: "Discord",
  telegram: "Telegram",
  webhook: "JSON webhook",
};

export function channelView(channel: AlertChannel): ChannelView {
  const t = channel.target;
  const summary =
    channel.kind === "email"
      ? `e-mail to ${t.to}`
      : channel.kind === "telegram"
        ? `Telegram chat ${t.chatId}`
        : channel.kind === "webhook"
          ? `signed JSON to ${t.url}`
          : `${CHANNEL_KIND_LABELS[channel.kind]} (${t.host})`;
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    source: channel.source,
    allowPrivateNetwork: channel.allowPrivateNetwork,
    summary,
    createdBy: channel.createdBy,
    createdAt: channel.createdAt.toISOString(),
  };
}

/** What one message says, in every channel's words. */
export type AlertContent = {
  /** The outbox row's id: the generic webhook's `webhook-id` is `alert_<id>`, stable across retries. */
  messageId: number;
  kind: AlertMessageKind;
  title: string;
  text: string;
  /** An absolute link into the console, or null. */
  link: string | null;
  incident: { id: number; rule: string; subject: string; state: string; openedAt: string } | null;
  createdAt: Date;
};

/** A send's result; a failure keeps the HTTP status and `Retry-After` the retry rule reads (`retryWaitMs`). */
export type SendOutcome =
  | { ok: true }
  | { ok: false; error: string; status: number | null; retryAfterSeconds: number | null };

const PREFIX: Record<AlertMessageKind, string> = {
  opened: "[alert]",
  reminder: "[still open]",
  resolved: "[resolved]",
  test: "[test]",
};

/** The one-line subject and the plain-text body every kind builds on. */
export function plainMessage(content: AlertContent): { subject: string; body: string } {
  const subject = `${PREFIX[content.kind]} ${content.title}`;
  const body = [content.text, content.link ? `Open in the console: ${content.link}` : null]
    .filter(Boolean)
    .join("\n\n");
  return { subject, body };
}

/**
 * Where the channel's host may be: the forwarding rule (FORWARD_ALLOW_PRIVATE_NETWORKS or the channel's own
 * "internal network" tick). Checked when saved and before each send.
 */
export async function channelProblem(
  kind: AlertChannelKind,
  target: Record<string, string>,
  secret: string,
  allowInternal: boolean,
): Promise<string | undefined> {
  // nodemailer connects on its own: an SMTP host is checked here as an http URL's would be.
  const url =
    kind === "email" ? new URL(`http://${new URL(secret).host}`) : destination(kind, target, secret);
  return targetProblem(url, allowInternal);
}

function destination(kind: AlertChannelKind, target: Record<string, string>, secret: string): URL {
  switch (kind) {
    case "slack":
    case "discord":
      return new URL(secret);
    case "telegram":
      return new URL(`${(target.apiBase ?? TELEGRAM_API_BASE).replace(/\/$/, "")}/bot${secret}/sendMessage`);
    case "webhook":
      return new URL(target.url as string);
    case "email":
      return new URL(secret);
  }
}

/** Sends one message on one channel. Never throws; the error names no secret (a URL's path is one). */
export async function sendAlert(
  channel: Pick<AlertChannel, "kind" | "target" | "secret" | "name">,
  content: AlertContent,
  options: { allowInternal: boolean; now?: Date },
): Promise<SendOutcome> {
  const { subject, body } = plainMessage(content);
  if (channel.kind === "email") return sendEmail(channel, subject, body, options.allowInternal);
  const problem = await channelProblem(channel.kind, channel.target, channel.secret, options.allowInternal);
  if (problem)
    return { ok: false, error: `the channel's address ${problem}`, status: null, retryAfterSeconds: null };
  const url = destination(channel.kind, channel.target, channel.secret);
  let payload: string;
  let headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": ALERT_USER_AGENT,
  };
  switch (channel.kind) {
    case "slack":
      payload = JSON.stringify({ text: `*${subject}*\n${body}` });
      break;
    case "discord":
      // Mentions off: an alert's text must never ping @everyone, whatever a deposit's order id says.
      payload = JSON.stringify({
        content: `**${subject}**\n${body}`.slice(0, 2000),
        allowed_mentions: { parse: [] },
      });
      break;
    case "telegram":
      payload = JSON.stringify({
        chat_id: channel.target.chatId,
        text: `${subject}\n\n${body}`.slice(0, 4096),
        disable_web_page_preview: true,
      });
      break;
    case "webhook": {
      payload = JSON.stringify({
        type: `alert.${content.kind}`,
        timestamp: content.createdAt.toISOString(),
        data: { title: content.title, text: content.text, link: content.link, incident: content.incident },
      });
      const signedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
      headers = standardHeaders(
        [channel.secret],
        `alert_${content.messageId}`,
        payload,
        signedAt,
        ALERT_USER_AGENT,
      );
      break;
    }
  }
  const result = await postMessage(url, headers, payload, {
    timeoutMs: SEND_TIMEOUT_MS,
    allowInternal: options.allowInternal,
  });
  if (result.status !== null && result.status >= 200 && result.status < 300) return { ok: true };
  const error = result.error
    ? scrub(result.error, channel.secret)
    : `${CHANNEL_KIND_LABELS[channel.kind]} answered ${result.status}${result.response ? `: ${scrub(result.response.slice(0, 200), channel.secret)}` : ""}`;
  return { ok: false, error, status: result.status, retryAfterSeconds: result.retryAfterSeconds };
}

async function sendEmail(
  channel: Pick<AlertChannel, "target" | "secret" | "name">,
  subject: string,
  body: string,
  allowInternal: boolean,
): Promise<SendOutcome> {
  const smtp = new URL(channel.secret);
  const hostname = smtp.hostname.replace(/^\[|\]$/g, "");
  // The address connected is the address checked: resolved once here, and nodemailer is given that address (TLS
  // still verifies the certificate against the host name), so a name cannot answer differently the second time.
  const resolved = await checkedAddress(hostname, allowInternal);
  if ("problem" in resolved) {
    return {
      ok: false,
      error: `the channel's address ${resolved.problem}`,
      status: null,
      retryAfterSeconds: null,
    };
  }
  const transport = nodemailer.createTransport({
    host: resolved.address,
    ...(net.isIP(hostname) ? {} : { tls: { servername: hostname } }),
    port: smtp.port ? Number(smtp.port) : smtp.protocol === "smtps:" ? 465 : 587,
    secure: smtp.protocol === "smtps:",
    auth: smtp.username
      ? { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) }
      : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const smtpHost = smtp.hostname;
  try {
    await transport.sendMail({
      from: channel.target.from ?? `SkinsBack console <alerts@${smtpHost}>`,
      to: channel.target.to,
      subject,
      text: body,
    });
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      error: scrub(`SMTP: ${(error as Error).message}`, channel.secret),
      status: null,
      retryAfterSeconds: null,
    };
  } finally {
    transport.close();
  }
}

/** A message about a failure, with the channel's secret (and an SMTP URL's password) taken out. */
function scrub(text: string, secret: string): string {
  let out = text.split(secret).join(REDACTED);
  try {
    const url = new URL(secret);
    if (url.password)
      out = out.split(decodeURIComponent(url.password)).join(REDACTED).split(url.password).join(REDACTED);
    if (url.pathname.length > 1) out = out.split(url.pathname).join("/[redacted]");
  } catch {
    // not a URL (a bot token, a signing secret)
  }
  return out;
}
