import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { startProductionServer } from "@/lib/testing/production-server";
import { TcpProxy } from "@/lib/testing/tcp-proxy";
import { NOTIFICATION_HEADERS } from "../faults/harness";

const database = await createPostgresDatabase();
const proxy = new TcpProxy("127.0.0.1", 5432);
await proxy.start();
const u = new URL(database.url);
u.port = String(proxy.port);
const server = await startProductionServer({ port: 3490, databaseUrl: u.toString() });
const stream = notificationStream(6_000_000_000);
const send = async () => {
  const t = performance.now();
  const r = await fetch(`${server.origin}/api/webhooks/skinsback`, {
    method: "POST",
    headers: NOTIFICATION_HEADERS,
    body: stream.next().body,
  });
  await r.text();
  return `${r.status} ${(performance.now() - t).toFixed(0)}ms`;
};
for (let i = 0; i < 3; i++) console.log("up", await send());
await proxy.stop();
for (let i = 0; i < 4; i++) console.log("down", await send());
console.log((await Promise.all(Array.from({ length: 10 }, send))).join(", "));
await proxy.start("blackHole");
for (let i = 0; i < 3; i++) console.log("hung", await send());
await proxy.stop();
await proxy.start();
for (let i = 0; i < 3; i++) console.log("up", await send());
console.log(
  server
    .output()
    .split("\n")
    .filter((l) => l.includes("webhook"))
    .slice(0, 8)
    .join("\n"),
);
await server.stop();
await proxy.stop();
await database.drop();
process.exit(0);
