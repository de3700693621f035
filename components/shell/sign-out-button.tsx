"use client";

import { useState } from "react";

/** Ends the session on the server (the cookie is dead from then on), then goes to the sign-in page. */
export function SignOutButton() {
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const signOut = async () => {
    setState("busy");
    const response = await fetch("/api/auth/sign-out", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => null);
    if (!response?.ok) {
      setState("failed");
      return;
    }
    window.location.assign("/sign-in");
  };
  return (
    <button
      type="button"
      onClick={signOut}
      disabled={state === "busy"}
      className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-100 disabled:opacity-50"
    >
      {state === "busy" ? "Signing out…" : state === "failed" ? "Sign-out failed: retry" : "Sign out"}
    </button>
  );
}
