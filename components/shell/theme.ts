/** The operator's theme choice, kept in the browser: "system" follows the system's light or dark setting. */
export type ThemeChoice = "system" | "light" | "dark";
export const THEME_STORAGE_KEY = "console-theme";

/**
 * Applies the stored choice, or the system's preference, to <html>, and keeps following the system while the
 * choice is "system" (listeners installed once per page). Self-contained — it references only its argument and
 * the browser's globals — because its source is also the <head> script.
 */
export function installTheme(key: string): void {
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => {
    let choice = "system";
    try {
      choice = localStorage.getItem(key) || "system";
    } catch {}
    const dark = choice === "dark" || (choice === "system" && media.matches);
    document.documentElement.classList.toggle("dark", dark);
    document.documentElement.dataset.theme = choice;
  };
  apply();
  const flags = window as unknown as { __consoleThemeInstalled?: boolean };
  if (flags.__consoleThemeInstalled) return;
  flags.__consoleThemeInstalled = true;
  media.addEventListener("change", apply);
  window.addEventListener("console-theme-change", apply);
}

/**
 * Runs in <head> before the first paint, so a dark page never flashes light. A page React renders in the browser
 * (a 404 or 403 raised while the page streamed) replaces <html> without running it: the providers install the
 * theme again once mounted.
 */
export const THEME_SCRIPT = `(${installTheme.toString()})(${JSON.stringify(THEME_STORAGE_KEY)});`;
