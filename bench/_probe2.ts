import { migrateDatabase, openPostgres } from "@/lib/db/client";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { TcpProxy } from "@/lib/testing/tcp-proxy";

const created = await createPostgresDatabase();
const direct = openPostgres(created.url);
await migrateDatabase({ kind: "postgres", url: created.url }, direct);
const proxy = new TcpProxy("127.0.0.1", 5432);
await proxy.start();
const u = new URL(created.url);
u.port = String(proxy.port);
const via = openPostgres(u.toString(), { maxConnections: 10 });
const receive = async () => {
  const t = performance.now();
  const r = await receiveSkinsbackWebhook(
    { getDb: async () => via.db, credentials: TEST_CREDENTIALS },
    notificationRequest(sampleNotification()),
  );
  return `${r.status} ${(performance.now() - t).toFixed(0)}`;
};
console.log("up", await receive());
await proxy.stop();
await proxy.start("blackHole");
for (let i = 0; i < 3; i++) console.log("hung", await receive());
await proxy.stop();
console.log("down x10", (await Promise.all(Array.from({ length: 10 }, receive))).join(", "));
await proxy.start();
await via.close().catch(() => {});
await direct.close();
await created.drop();
await proxy.stop();
process.exit(0);
