import { z } from "zod";
import { OPERATOR_ROLES } from "./roles";

/** What forms send about operators; shared by the routes and the pages' forms. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, "must be at most 320 characters")
  .pipe(z.email("must be an email address"));

export const nameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters");

export const passwordSchema = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256, "must be at most 256 characters");

export const changePasswordInputSchema = z.strictObject({
  currentPassword: z.string().min(1, "enter your current password").max(256),
  newPassword: passwordSchema,
});

export const setupInputSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
});

export const createOperatorInputSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(OPERATOR_ROLES),
});

export const changeOperatorInputSchema = z
  .strictObject({
    role: z.enum(OPERATOR_ROLES).optional(),
    disabled: z.boolean().optional(),
    /** With `disabled: true`: also revoke the API keys this operator made (keys belong to the console). */
    revokeApiKeys: z.boolean().optional(),
  })
  .refine((v) => (v.role === undefined) !== (v.disabled === undefined), {
    message: "send exactly one of role or disabled",
  })
  .refine((v) => v.revokeApiKeys === undefined || v.disabled === true, {
    message: "revokeApiKeys goes with disabled: true",
    path: ["revokeApiKeys"],
  });
