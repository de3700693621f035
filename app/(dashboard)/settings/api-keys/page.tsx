import type { Metadata } from "next";
import { ApiKeysManager } from "@/components/forwarding/api-keys-manager";
import { ResultUrlsForm } from "@/components/forwarding/result-urls-form";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { PROXY_RESULT_URLS_SETTING } from "@/lib/gateway/settings";
import { readSetting } from "@/lib/settings/store";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const [keys, resultUrls] = await Promise.all([listApiKeys(db), readSetting(db, PROXY_RESULT_URLS_SETTING)]);
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-slate-500">
          For machines: your backend reading the event feed or deposits, or calling SkinsBack through the
          signed proxy. Send one as <code>Authorization: Bearer &lt;key&gt;</code>. Only a hash is stored.
        </p>
      </div>
      <ApiKeysManager
        initial={keys.map((k) => ({
          ...k,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
        }))}
      />
      <ResultUrlsForm
        ownResultUrl={`${getConfig().appOrigin}/api/webhooks/skinsback`}
        resultUrls={resultUrls}
      />
    </section>
  );
}
