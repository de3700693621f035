"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { callApi } from "@/components/api-client";
import { SaveButton } from "@/components/ui/save-button";

/**
 * The admin's list of Result URLs a deposit created through the proxy may name, one per line. Any other
 * `result_url` is refused: whoever could set it would receive the deposit's signed notifications first.
 */
export function ResultUrlsForm({ ownResultUrl, resultUrls }: { ownResultUrl: string; resultUrls: string[] }) {
  const save = useMutation({
    mutationFn: (urls: string[]) =>
      callApi("/api/settings/proxy", { method: "PATCH", json: { resultUrls: urls } }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("resultUrls") ?? "");
    save.mutate(
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    );
  }
  return (
    <form
      method="post"
      onSubmit={submit}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 className="font-semibold">Result URLs a created deposit may name</h2>
      <p className="text-slate-500">
        <code>create</code> and <code>create_from_user_inventory</code> through the proxy may set{" "}
        <code>result_url</code> to the console's own (<code className="break-all">{ownResultUrl}</code>) or to
        one listed here; any other is refused. One URL per line, exactly as sent.
      </p>
      <label className="block">
        <span className="sr-only">Result URLs</span>
        <textarea
          name="resultUrls"
          rows={3}
          defaultValue={resultUrls.join("\n")}
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
        />
      </label>
      <SaveButton save={save} saved="Saved." />
    </form>
  );
}
