"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
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
    <Button
      type="button"
      onClick={change}
      data-testid="theme-toggle"
      title="Switch between the system's theme, light and dark"
      variant="secondary"
      size="xs"
    >
      {LABEL[choice]}
    </Button>
  );
}
