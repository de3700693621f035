"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

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
    <Button type="button" onClick={signOut} disabled={state === "busy"} variant="secondary" size="xs">
      {state === "busy" ? "Signing out…" : state === "failed" ? "Sign-out failed: retry" : "Sign out"}
    </Button>
  );
}
