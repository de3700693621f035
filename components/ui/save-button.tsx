import type { UseMutationResult } from "@tanstack/react-query";

/** A settings form's Save button and what became of the save (TanStack Query's mutation state). */
export function SaveButton({
  save,
  saved = "Saved",
  className,
}: {
  save: Pick<UseMutationResult<unknown, Error, never>, "isPending" | "isError" | "isSuccess" | "error">;
  /** Said once the save succeeded. */
  saved?: string;
  className: string;
}) {
  return (
    <>
      <button type="submit" disabled={save.isPending} className={`${className} disabled:opacity-50`}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
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
