import { z } from "zod";

/**
 * The one rule for an amount of money as text, wherever it comes in (a notification's signed fields, an API
 * parameter, a filter, a cap): a plain decimal from 0 to 999,999,999,999 with at most 8 decimals — no sign, no
 * exponent, no grouping. A USD figure an admin sets (a cap, a threshold) has at most 2 decimals.
 */
export const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,8})?$/;
const USD_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/** An amount as text (see AMOUNT_PATTERN), with the message a caller shows when it is not one. */
export const amountText = (
  message = "must be an amount from 0 to 999999999999 with at most 8 decimals, e.g. 10.50",
) => z.string({ error: "must be a number" }).regex(AMOUNT_PATTERN, message);

/** A USD figure an admin sets: whole dollars and cents. */
export const usdText = () => z.string().regex(USD_PATTERN, "must be an amount in USD, e.g. 500 or 1250.50");
