import { z } from "zod";
import { usdText } from "@/lib/money/amount";
import { defineSetting } from "@/lib/settings/store";

const usdCap = usdText();

/**
 * Caps on money released early and not final yet, in USD of the signed amounts (./usd.ts, ./rates.ts): per player
 * and in total; null = no cap. An approval that would pass a cap is refused, naming it.
 */
export const HOLD_CAPS_SETTING = defineSetting(
  "holds.caps",
  z.strictObject({ perPlayerUsd: usdCap.nullable(), totalUsd: usdCap.nullable() }),
  { perPlayerUsd: null, totalUsd: null },
);
