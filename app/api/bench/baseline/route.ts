// The benchmarks' ceiling: a route in the same build that reads the body and answers 200, doing nothing else.
// Served only when CONSOLE_BENCH_ROUTES=1 (bench/ sets it); 404 otherwise.
// Outside withRoute: the benchmarks' ceiling must do nothing but read the body.
import { getConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (!getConfig().benchRoutes) return new Response("Not found", { status: 404 });
  await request.arrayBuffer();
  return new Response("OK", { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}
