/**
 * An open-loop load generator: request i is due at start + i/rate and its latency is measured from that due time
 * (so a slow server cannot hide its delay by slowing the sender down: no coordinated omission). Bounded in count
 * and time; loopback only.
 */
import http from "node:http";

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export type OpenLoopResult = {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  latencies: number[];
};

export async function openLoop(options: {
  url: string;
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  /** The body of request `i`. */
  nextBody: (i: number) => string;
  timeoutMs?: number;
  /** Called about once a second with the time since the start, e.g. to cut a dependency mid-run. */
  onTick?: (elapsedMs: number) => void | Promise<void>;
  /** Each answer: the HTTP status, or the error's name when there was none. */
  onResponse?: (i: number, answer: number | string, latencyMs: number) => void;
}): Promise<OpenLoopResult> {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)(:\d+)?\//.test(options.url))
    throw new Error("loopback only");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(options.url);
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: "POST",
          agent,
          headers: { ...options.headers, "content-length": Buffer.byteLength(body) },
          timeout: options.timeoutMs ?? 10_000,
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        },
      );
      request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { name: "Timeout" })));
      request.on("error", reject);
      request.end(body);
    });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const started = performance.now();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  let lastTick = 0;
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (options.onTick && performance.now() - lastTick > 1000) {
      lastTick = performance.now();
      await options.onTick(lastTick - started);
    }
    const body = options.nextBody(i);
    const index = i;
    inFlight.push(
      post(body)
        .then(
          (status) => status as number | string,
          (error: Error) => error.name,
        )
        .then((answer) => {
          const latency = performance.now() - due;
          statuses[answer] = (statuses[answer] ?? 0) + 1;
          latencies.push(latency);
          options.onResponse?.(index, answer, latency);
        }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const ok = Object.entries(statuses)
    .filter(([status]) => /^2\d\d$/.test(status))
    .reduce((a, [, n]) => a + n, 0);
  return {
    sent: total,
    ok,
    failed: total - ok,
    statuses,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    latencies,
  };
}
