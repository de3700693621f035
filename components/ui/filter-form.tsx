import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** The text inputs and selects of the list pages' filter forms. */
export const FILTER_INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1";

/** A filter form's buttons: apply (a plain GET, so the filters land in the URL) and clear; `extra` after them. */
export function FilterActions({
  clearHref,
  className = "flex items-end gap-2",
  extra,
}: {
  clearHref: string;
  className?: string;
  extra?: ReactNode;
}) {
  return (
    <div className={className}>
      <Button type="submit" variant="primary" size="sm">
        Filter
      </Button>
      <Link href={clearHref} className="rounded-md border border-slate-300 px-3 py-1.5">
        Clear
      </Link>
      {extra}
    </div>
  );
}

/** The from / to pair of the list filters: whole UTC days (the lists' day boundaries, the rollup's too). */
export function DateRangeInputs({ from, to }: { from: string | undefined; to: string | undefined }) {
  return (
    <>
      <label>
        <span className="text-xs text-slate-500">From (UTC date)</span>
        <input name="from" type="date" defaultValue={from ?? ""} className={FILTER_INPUT} />
      </label>
      <label>
        <span className="text-xs text-slate-500">To (UTC date)</span>
        <input name="to" type="date" defaultValue={to ?? ""} className={FILTER_INPUT} />
      </label>
    </>
  );
}

/** The min / max amount pair of the list filters (`min`, `max`: decimals in the deposit's currency). */
export function AmountRangeInputs({ min, max }: { min: string | undefined; max: string | undefined }) {
  return (
    <>
      <label>
        <span className="text-xs text-slate-500">Amount from</span>
        <input name="min" inputMode="decimal" defaultValue={min ?? ""} className={FILTER_INPUT} />
      </label>
      <label>
        <span className="text-xs text-slate-500">to</span>
        <input name="max" inputMode="decimal" defaultValue={max ?? ""} className={FILTER_INPUT} />
      </label>
    </>
  );
}

/**
 * A select of the list filters. Options are values (shown as they are) or [value, text] pairs; `any` adds a
 * first, empty option that means "no filter". Uncontrolled in a GET form (`name`, `defaultValue`), or
 * controlled (`value`, `onChange`) in a screen that filters as you choose.
 */
export function SelectFilter(props: {
  label: string;
  options: readonly (string | readonly [string, string])[];
  any?: string;
  name?: string;
  defaultValue?: string;
  value?: string;
  onChange?: (value: string) => void;
  className?: string;
}) {
  const { onChange } = props;
  return (
    <label className={props.className}>
      <span className="text-xs text-slate-500">{props.label}</span>
      <select
        name={props.name}
        defaultValue={props.defaultValue}
        value={props.value}
        onChange={onChange ? (e) => onChange(e.target.value) : undefined}
        className={FILTER_INPUT}
      >
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map((option) => {
          const [value, text] = typeof option === "string" ? [option, option] : option;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}
