"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import type { ChannelView } from "@/lib/alerts/channels";
import { ChannelForm } from "./channel-form";
import { ChannelList } from "./channel-list";

/** The channels part of Settings → Alerts: the list (refreshed after each change) and the form for a new one. */
export function AlertChannels({ initial }: { initial: ChannelView[] }) {
  const queryClient = useQueryClient();
  const channels = useQuery({
    queryKey: queryKeys.alertSettings,
    queryFn: async () => (await callApi<{ channels: ChannelView[] }>("/api/settings/alerts")).channels,
    initialData: initial,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.alertSettings });
  return (
    <div className="space-y-4">
      <ChannelList channels={channels.data} onChanged={refresh} />
      <h2 className="text-lg font-semibold">Add a channel</h2>
      <ChannelForm onSaved={refresh} />
    </div>
  );
}
