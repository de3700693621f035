import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { THEME_SCRIPT } from "@/components/shell/theme";
import { NONCE_HEADER } from "@/lib/security/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "SkinsBack console", template: "%s · SkinsBack console" },
  description: "Deposits, notifications and holds of a SkinsBack merchant project.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The Content Security Policy's nonce for this response (proxy.ts); the theme script runs only with it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    // The theme script sets a class on <html> before React hydrates: the mismatch is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no input in it */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
