import type { Db } from "@/lib/db/client";
import { createEndpoint, type EndpointInput } from "@/lib/forwarding/endpoints";

/** Forwarding as a test configures it: private addresses allowed (receivers are on loopback), one attempt. */
export const TEST_FORWARDING = {
  forwarding: { allowPrivateNetworks: false, retryScheduleMs: [0], environmentEndpoint: undefined },
};

/** An endpoint for a test's own receiver on loopback ("internal network" ticked), standard format by default. */
export function addTestEndpoint(
  db: Db,
  name: string,
  url: string,
  extra: Partial<EndpointInput> = {},
  who: Parameters<typeof createEndpoint>[3] = { actor: { kind: "system" }, address: null },
) {
  return createEndpoint(
    db,
    TEST_FORWARDING,
    {
      name,
      url,
      description: "",
      format: "standard",
      eventTypes: [],
      allowPrivateNetwork: true,
      skinsbackEncoding: "json",
      concurrency: 8,
      ...extra,
    },
    who,
  );
}
