import { defineSetting } from "@/lib/settings/store";
import { DEFAULT_RISK_THRESHOLDS, riskThresholdsSchema } from "./assessment";

/** The risk assessment's thresholds (./assessment.ts); admins change them on Settings → Risk. */
export const RISK_THRESHOLDS_SETTING = defineSetting(
  "risk.thresholds",
  riskThresholdsSchema,
  DEFAULT_RISK_THRESHOLDS,
);
