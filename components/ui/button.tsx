import type { ButtonHTMLAttributes } from "react";

/**
 * The console's buttons: one place for their look, so a primary action, a secondary one and a destructive one
 * read the same on every screen. `size`: xs in table rows and toolbars, sm in forms and panels, md for a form's
 * main action. Everything else is a plain <button>'s (type defaults to "button": a form submits only when asked).
 */
export type ButtonVariant = "primary" | "secondary" | "danger";
export type ButtonSize = "xs" | "sm" | "md";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-slate-900 font-medium text-white hover:bg-slate-700",
  secondary: "border border-slate-300 text-slate-700 hover:bg-slate-100",
  danger: "bg-rose-700 font-medium text-white hover:bg-rose-800",
};

const SIZES: Record<ButtonSize, string> = {
  xs: "px-2 py-1 text-xs",
  sm: "px-3 py-1.5",
  md: "px-3 py-2 text-sm",
};

export function buttonClasses(
  variant: ButtonVariant = "secondary",
  size: ButtonSize = "sm",
  extra = "",
): string {
  return `rounded-md disabled:opacity-50 ${VARIANTS[variant]} ${SIZES[size]} ${extra}`.trim();
}

export function Button({
  variant,
  size,
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type} className={buttonClasses(variant, size, className)} {...props} />;
}
