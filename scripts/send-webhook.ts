/**
 * `npm run webhook:send -- …`: sends a correctly signed deposit notification to a running console, so a person
 * can try the receiver without SkinsBack. Credentials come from SKINSBACK_CLIENT_ID / SKINSBACK_CLIENT_SECRET,
 * else the sandbox pair (as the app does). Run with --help for every flag.
 */
import { parseArgs } from "node:util";
import { ConfigError, formatConfigError, parseConfig } from "../lib/config/index";
import { multiplyDecimal } from "../lib/money/decimal";
import { DEPOSIT_STATUSES, type DepositStatus } from "../lib/skinsback/deposit-status";
import {
  EXAMPLE_USER_RISK,
  encodeNotification,
  type NotificationInput,
  notificationHeaders,
  signNotification,
} from "../lib/skinsback/notification-builder";

type Flag = { type: "string" | "boolean"; help: string; example?: string; default?: string };

const FLAGS = {
  status: {
    type: "string",
    help: `deposit status: ${DEPOSIT_STATUSES.join(", ")} (required)`,
    example: "success",
  },
  "transaction-id": {
    type: "string",
    help: "SkinsBack's transaction id (default: the current time in ms, a new deposit)",
    example: "1001",
  },
  "order-id": { type: "string", help: "your order id (default: order-<transaction id>)", example: "ord-42" },
  "steam-id": { type: "string", help: "the player's 64-bit Steam id", default: "76561198000000001" },
  amount: { type: "string", help: "deposit amount, a plain decimal", default: "12.50" },
  currency: { type: "string", help: "currency code of the amount", default: "usd" },
  multiplier: { type: "string", help: "project multiplier for the user's amount", default: "1" },
  reason: {
    type: "string",
    help: "fail reason with --status fail: timeout, trade_timeout, trade_canceled",
    default: "timeout",
  },
  risk: { type: "boolean", help: "add an example user_risk block (with --status in_hold)" },
  form: { type: "boolean", help: "send application/x-www-form-urlencoded instead of JSON" },
  "no-x-sign": { type: "boolean", help: "leave out the X-SIGN header" },
  "bad-sign": { type: "boolean", help: "send a wrong sign (the console must answer 401)" },
  url: {
    type: "string",
    help: "the console's Result URL (default: APP_ORIGIN/api/webhooks/skinsback)",
    example: "http://localhost:3000/api/webhooks/skinsback",
  },
  help: { type: "boolean", help: "show this help" },
} satisfies Record<string, Flag>;

function helpText(defaultUrl: string): string {
  const lines = [
    "Send a signed SkinsBack deposit notification to a running console.",
    "",
    "Usage: npm run webhook:send -- --status <status> [flags]",
    "",
    "Flags:",
  ];
  for (const [name, flag] of Object.entries(FLAGS) as [string, Flag][]) {
    const value = flag.type === "string" ? " <value>" : "";
    const extra = flag.default
      ? ` [default: ${flag.default}]`
      : flag.example
        ? ` [e.g. ${flag.example}]`
        : "";
    lines.push(`  --${`${name}${value}`.padEnd(24)} ${flag.help}${extra}`);
  }
  lines.push(
    "",
    "Examples:",
    "  npm run webhook:send -- --status in_hold --transaction-id 1001 --risk",
    "  npm run webhook:send -- --status success --transaction-id 1001 --form",
    "  npm run webhook:send -- --status fail --transaction-id 1002 --reason trade_timeout",
    "  npm run webhook:send -- --status success --bad-sign        (refused with 401, recorded in the log)",
    "",
    `Sends to ${defaultUrl}.`,
  );
  return lines.join("\n");
}

/** One line on stderr and exit code 2: a usage mistake needs no stack trace. */
function fail(message: string, code = 2): never {
  console.error(`webhook:send: ${message}`);
  process.exit(code);
}

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(formatConfigError(error));
    process.exit(2);
  }
  throw error;
}
const defaultUrl = `${config.appOrigin}/api/webhooks/skinsback`;

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: Object.fromEntries(
      Object.entries(FLAGS).map(([name, flag]) => [name, { type: flag.type }]),
    ) as Record<string, { type: "string" | "boolean" }>,
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  // parseArgs says e.g. "Unknown option '--stauts'".
  fail(`${(error as Error).message.split(". ")[0]} (npm run webhook:send -- --help lists every flag)`);
}

if (values.help || process.argv.length <= 2) {
  console.log(helpText(defaultUrl));
  process.exit(values.help ? 0 : 2);
}

const text = (name: keyof typeof FLAGS): string | undefined => {
  const value = values[name];
  return typeof value === "string" ? value : (FLAGS[name] as Flag).default;
};

const status = text("status") as DepositStatus | undefined;
if (!status) fail("--status is required, e.g. --status success");
if (!DEPOSIT_STATUSES.includes(status)) fail(`--status must be one of ${DEPOSIT_STATUSES.join(", ")}`);
const amount = text("amount") as string;
const multiplier = text("multiplier") as string;
if (!/^\d+(\.\d+)?$/.test(amount) || !/^\d+(\.\d+)?$/.test(multiplier)) {
  fail("--amount and --multiplier must be plain decimal numbers, e.g. 12.50");
}
const url = text("url") ?? defaultUrl;
if (!/^https?:\/\//.test(url))
  fail("--url must be an http(s) URL, e.g. http://localhost:3000/api/webhooks/skinsback");

const { clientId, clientSecret } = config.skinsback;
const transactionId = text("transaction-id") ?? String(Date.now());
const currency = text("currency") as string;
const now = Math.floor(Date.now() / 1000);
const hasMoney = status === "success" || status === "in_hold" || status === "hold_approved";
const userAmount = multiplyDecimal(amount, multiplier);

const input: NotificationInput = {
  status,
  transaction_id: transactionId,
  order_id: text("order-id") ?? `order-${transactionId}`,
  steam_id: text("steam-id"),
  date: now - 120,
  offer_date: now - 100,
  trade_offer_id: `70${transactionId.padStart(8, "0")}`,
  ...(hasMoney && {
    amount,
    amount_currency: currency,
    amount_in_currencies: { [currency]: amount },
    user_amount: userAmount,
    user_amount_in_currencies: { [currency]: userAmount },
    skins_send_date: now - 60,
  }),
  ...(status === "in_hold" && { in_hold_until: now + 8 * 86400 }),
  ...(status === "fail" && { reason: text("reason") }),
  ...(status === "in_hold" && values.risk === true && { user_risk: { ...EXAMPLE_USER_RISK } }),
};

const fields = signNotification(input, clientSecret);
if (values["bad-sign"]) fields.sign = "0".repeat(40);
const { body, contentType } = encodeNotification(fields, values.form ? "form" : "json");

let response: Response;
try {
  response = await fetch(url, {
    method: "POST",
    headers: notificationHeaders(clientId, clientSecret, contentType, !values["no-x-sign"]),
    body,
    signal: AbortSignal.timeout(10_000),
  });
} catch (error) {
  type Cause = { code?: string; message?: string; errors?: { code?: string }[] };
  const cause = (error as { cause?: Cause }).cause;
  const why = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
  fail(`could not reach ${url} (${why}). Is the console running? Start it with: npm run dev`, 1);
}
const answer = await response.text();
console.log(`${response.status} ${answer} (outcome: ${response.headers.get("x-outcome") ?? "—"})`);
// A refused notification stored no deposit: its trace is in the delivery log, not on a deposit's page.
const origin = new URL(url).origin;
console.log(
  response.ok
    ? `transaction ${transactionId}: ${origin}/deposits/${encodeURIComponent(transactionId)}`
    : `transaction ${transactionId} was not stored; the refused request: ${origin}/webhooks?transactionId=${encodeURIComponent(transactionId)}`,
);
process.exit(response.ok ? 0 : 1);
