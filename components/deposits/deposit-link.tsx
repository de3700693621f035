import Link from "next/link";
import type { ReactNode } from "react";
import { depositHref } from "@/components/links";

/** A link to a deposit's page when `transactionId` is a valid id; otherwise its text alone (never a path). */
export function DepositLink({
  transactionId,
  className,
  children,
}: {
  transactionId: string;
  className?: string;
  children?: ReactNode;
}) {
  const href = depositHref(transactionId);
  const label = children ?? transactionId;
  if (!href) return <span className={className}>{label}</span>;
  return (
    <Link href={href} className={className}>
      {label}
    </Link>
  );
}
