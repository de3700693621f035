/** Small helpers for benchmarks: timing, percentiles, a printed table. */
export async function timeEach(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

import { percentile } from "@/lib/testing/open-loop";

export { percentile };

export function report(name: string, samples: number[], baseline?: number[]): void {
  const median = percentile(samples, 50);
  const ratio = baseline ? ` ×${(median / percentile(baseline, 50)).toFixed(2)} of baseline` : "";
  console.log(
    `${name.padEnd(46)} n=${String(samples.length).padStart(4)}  median ${median.toFixed(2).padStart(7)} ms  p90 ${percentile(samples, 90).toFixed(2).padStart(7)} ms${ratio}`,
  );
}

/** One GET as a signed-in operator, timed to its last byte; a non-2xx answer stops the benchmark. */
export async function timedGet(origin: string, cookie: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${origin}${path}`, { headers: { cookie } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path} answered ${response.status} on ${origin}`);
  return performance.now() - started;
}
