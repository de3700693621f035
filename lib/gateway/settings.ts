import { z } from "zod";
import { defineSetting } from "@/lib/settings/store";

/**
 * Result URLs besides the console's own that a deposit created through the proxy may name (`result_url`): an
 * admin's list, audited like every setting. Any other is refused (./proxy.ts).
 */
export const PROXY_RESULT_URLS_SETTING = defineSetting(
  "proxy.result-urls",
  z
    .array(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_000))
    .max(20, "at most 20 URLs"),
  [] as string[],
);
