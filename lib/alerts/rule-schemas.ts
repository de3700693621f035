import { z } from "zod";
import { usdText } from "@/lib/money/amount";

/**
 * The alert rules' names, words and settings (pure: the settings catalogue reads these; the evaluators are in
 * rules.ts). Each rule is on or off, names its channels (none named: every enabled channel) and has its
 * thresholds. `forMinutes`: how long the condition must hold before an incident opens (Grafana's pending period).
 */

const baseShape = { enabled: z.boolean(), channels: z.array(z.number().int().positive()).max(50) };
const minutes = (max = 10_080) => z.number().int().min(1).max(max);
const usd = usdText();

function rule<S extends z.ZodRawShape>(definition: {
  label: string;
  description: string;
  shape: S;
  /** Each threshold's label on the settings form, in the order shown. */
  fields: { [K in keyof S]: string };
  defaults: z.output<z.ZodObject<typeof baseShape & S>>;
  forMinutes?: (settings: z.output<z.ZodObject<typeof baseShape & S>>) => number;
}) {
  return { ...definition, schema: z.strictObject({ ...baseShape, ...definition.shape }) };
}

export const ALERT_RULES = {
  silence: rule({
    label: "Silence alarm",
    description:
      "No notification from SkinsBack for the silence alarm's minutes while deposits are being created.",
    shape: {},
    fields: {},
    defaults: { enabled: true, channels: [] },
  }),
  "failed-notifications": rule({
    label: "Failed notifications",
    description: "More than N failed notifications open, or one open for longer than M minutes.",
    shape: { count: z.number().int().min(0).max(1_000_000), minutes: minutes() },
    fields: { count: "more than this many open", minutes: "or one open longer than (minutes)" },
    defaults: { enabled: true, channels: [], count: 10, minutes: 60 },
  }),
  forwarding: rule({
    label: "Forwarding to your backend",
    description:
      "An endpoint failing for M minutes, its oldest waiting message older than M minutes, or disabled.",
    shape: { minutes: minutes() },
    fields: { minutes: "for (minutes)" },
    defaults: { enabled: true, channels: [], minutes: 30 },
  }),
  reconciliation: rule({
    label: "Reconciliation differences",
    description:
      "Reconciliation with SkinsBack's orders found a contradiction, a different amount or an unknown deposit.",
    shape: {},
    fields: {},
    defaults: { enabled: true, channels: [] },
  }),
  "reconciliation-fixes": rule({
    label: "Changes only reconciliation found",
    description:
      "The latest reconciliation run applied changes no notification brought (swallowed on the way, or changed at SkinsBack without one).",
    shape: {},
    fields: {},
    defaults: { enabled: true, channels: [] },
  }),
  stuck: rule({
    label: "Stuck deposits",
    description: "Deposits pending too long or past their hold's end, still so after asking SkinsBack.",
    shape: {},
    fields: {},
    defaults: { enabled: true, channels: [] },
  }),
  "skinsback-down": rule({
    label: "SkinsBack unreachable",
    description:
      "SkinsBack's API unreachable or in maintenance for M minutes (from the console's own calls).",
    shape: { minutes: minutes(1_440) },
    fields: { minutes: "for (minutes)" },
    defaults: { enabled: true, channels: [], minutes: 10 },
    forMinutes: (s) => s.minutes,
  }),
  "budget-full": rule({
    label: "Rate budget full",
    description: "The shared 500 calls a minute all used, or SkinsBack's -7 block in force, for M minutes.",
    shape: { minutes: minutes(1_440) },
    fields: { minutes: "for (minutes)" },
    defaults: { enabled: true, channels: [], minutes: 5 },
    forMinutes: (s) => s.minutes,
  }),
  "sign-ins": rule({
    label: "Failed sign-ins",
    description: "Many failed sign-ins in 15 minutes, or an account locked for everyone.",
    shape: { failures: z.number().int().min(1).max(100_000) },
    fields: { failures: "failed sign-ins in 15 minutes" },
    defaults: { enabled: true, channels: [], failures: 20 },
  }),
  "early-approval": rule({
    label: "Large early approval",
    description: "A hold approved early for more than X USD (in the last hour).",
    shape: { usd },
    fields: { usd: "above (USD)" },
    defaults: { enabled: true, channels: [], usd: "1000" },
  }),
  exposure: rule({
    label: "Held exposure near the cap",
    description: "Money released early and not final above a share of the total cap (Settings → Risk).",
    shape: { percent: z.number().int().min(1).max(100) },
    fields: { percent: "at this share of the total cap (%)" },
    defaults: { enabled: true, channels: [], percent: 80 },
  }),
} as const;

export type RuleName = keyof typeof ALERT_RULES;
export const RULE_NAMES = Object.keys(ALERT_RULES) as RuleName[];
export type RuleSettings<N extends RuleName> = z.infer<(typeof ALERT_RULES)[N]["schema"]>;

/** Every rule's settings, stored as one admin setting (`alerts.rules`); a rule never saved has its defaults. */
export const alertRulesSchema = z.strictObject(
  Object.fromEntries(RULE_NAMES.map((name) => [name, ALERT_RULES[name].schema.optional()])) as {
    [N in RuleName]: z.ZodOptional<(typeof ALERT_RULES)[N]["schema"]>;
  },
);
export type AlertRulesSetting = z.infer<typeof alertRulesSchema>;

export function effectiveRule<N extends RuleName>(stored: AlertRulesSetting, name: N): RuleSettings<N> {
  return (stored[name] ?? ALERT_RULES[name].defaults) as RuleSettings<N>;
}

/** The pending period of a rule with these settings, in minutes (0: opens at once). */
export function pendingMinutes<N extends RuleName>(name: N, settings: RuleSettings<N>): number {
  const forMinutes = ALERT_RULES[name].forMinutes as ((s: RuleSettings<N>) => number) | undefined;
  return forMinutes ? forMinutes(settings) : 0;
}
