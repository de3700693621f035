/** The operator's theme choice, kept in the browser: "system" follows the system's light or dark setting. */
export type ThemeChoice = "system" | "light" | "dark";
export const THEME_STORAGE_KEY = "console-theme";

/**
 * Runs in <head> before the first paint, so a dark page never flashes light: applies the stored choice, or the
 * system's preference, and keeps following the system while the choice is "system".
 */
export const THEME_SCRIPT = `(() => {
  const key = ${JSON.stringify(THEME_STORAGE_KEY)};
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => {
    let choice = "system";
    try { choice = localStorage.getItem(key) || "system"; } catch {}
    const dark = choice === "dark" || (choice === "system" && media.matches);
    document.documentElement.classList.toggle("dark", dark);
    document.documentElement.dataset.theme = choice;
  };
  apply();
  media.addEventListener("change", apply);
  window.addEventListener("console-theme-change", apply);
})();`;
