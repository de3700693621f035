"use client";

import { PageError } from "@/components/ui/page-error";

// Inside the app shell: the navigation stays usable.
export default function DashboardError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError {...props} />;
}
