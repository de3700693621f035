"use client";

import { useEffect, useState } from "react";
import { THEME_STORAGE_KEY, type ThemeChoice } from "./theme";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const LABEL: Record<ThemeChoice, string> = {
  system: "Theme: system",
  light: "Theme: light",
  dark: "Theme: dark",
};

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => {
    const stored = document.documentElement.dataset.theme;
    if (stored === "light" || stored === "dark" || stored === "system") setChoice(stored);
  }, []);
  const change = () => {
    const next = NEXT[choice];
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private windows may refuse storage: the choice then lasts for this page only.
    }
    setChoice(next);
    window.dispatchEvent(new Event("console-theme-change"));
  };
  return (
    <button
      type="button"
      onClick={change}
      data-testid="theme-toggle"
      title="Switch between the system's theme, light and dark"
      className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
    >
      {LABEL[choice]}
    </button>
  );
}
