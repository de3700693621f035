"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import { Button, type ButtonVariant } from "./button";
import { useHydrated } from "./use-hydrated";

/** A settings form's Save button and what became of the save (TanStack Query's mutation state). */
export function SaveButton({
  save,
  saved = "Saved",
  variant = "primary",
}: {
  save: Pick<UseMutationResult<unknown, Error, never>, "isPending" | "isError" | "isSuccess" | "error">;
  /** Said once the save succeeded. */
  saved?: string;
  variant?: ButtonVariant;
}) {
  const hydrated = useHydrated();
  return (
    <>
      <Button type="submit" variant={variant} size="sm" disabled={!hydrated || save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      {save.isError && (
        <span role="alert" className="text-rose-800">
          {save.error?.message}
        </span>
      )}
      {save.isSuccess && (
        <span role="status" className="text-emerald-800">
          {saved}
        </span>
      )}
    </>
  );
}
