"use client";

import { useSyncExternalStore } from "react";
import { formatUtc } from "./format";

const subscribeNever = () => () => {};

/** "2026-11-22 11:05:09 GMT+1" in the browser's time zone (the operator's), seconds included. */
export function formatLocal(date: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")} ${part("timeZoneName")}`;
}

/**
 * A moment in the operator's time zone, with the exact UTC time on hover. The server (and the first render in the
 * browser) shows UTC, so hydration matches; the browser then switches to its own zone.
 */
export function Time({ value }: { value: string | Date | null | undefined }) {
  const isClient = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  if (!value) return <span>—</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  const utc = formatUtc(date);
  return (
    <time dateTime={date.toISOString()} title={utc} className="whitespace-nowrap">
      {isClient ? formatLocal(date) : utc}
    </time>
  );
}

/** "3 min ago", "2 h 5 min ago", "in 4 d 2 h": coarse, for ages and countdowns. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  let text: string;
  if (abs < 60_000) text = `${Math.floor(abs / 1000)} s`;
  else if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) text = `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  else text = `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
  return text;
}

/** The current time, ticking every `everyMs` in the browser; null on the server and in the first render. */
export function useNow(everyMs = 1_000): number | null {
  return useSyncExternalStore(
    (notify) => {
      const timer = setInterval(notify, everyMs);
      return () => clearInterval(timer);
    },
    () => Math.floor(Date.now() / everyMs) * everyMs,
    () => null,
  );
}

/** "5 min ago" or "in 3 d 4 h" (a countdown), live; the exact time on hover. */
export function Relative({ value, everyMs = 1_000 }: { value: string | Date; everyMs?: number }) {
  const now = useNow(everyMs);
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  const title = formatUtc(date);
  if (now === null) return <span title={title}>{title}</span>;
  const delta = date.getTime() - now;
  return (
    <time dateTime={date.toISOString()} title={title} className="whitespace-nowrap">
      {delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`}
    </time>
  );
}
