import { z } from 'zod';

// The request bodies of the user and screen API, shared by the server (parseBody) and the admin
// console's forms: one definition, so a form refuses exactly what the API would.

export const USER_ROLES = ['admin', 'supervisor', 'viewer', 'wall'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Account and screen names: ASCII, as they travel in URLs, tokens and audit entries. */
export const ACCOUNT_NAME = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -');
export const PASSWORD = z.string().min(8, 'must be at least 8 characters').max(256);
export const USER_SCOPE = z.strictObject({ centers: z.array(z.string().min(1)).max(50).optional(), unitTypes: z.array(z.string().min(1)).max(50).optional() });

export const NEW_USER = z.strictObject({ username: ACCOUNT_NAME, password: PASSWORD, role: z.enum(USER_ROLES), scope: USER_SCOPE.optional() });
export type NewUser = z.infer<typeof NEW_USER>;

export const USER_PATCH = z
  .strictObject({ role: z.enum(USER_ROLES).optional(), scope: USER_SCOPE.nullable().optional(), disabled: z.boolean().optional() })
  .refine((p) => Object.keys(p).length > 0, 'give at least one of role, scope, disabled');
export type UserPatchBody = z.infer<typeof USER_PATCH>;

export const PASSWORD_CHANGE = z.strictObject({ password: PASSWORD, currentPassword: z.string().min(1).max(256).optional() });

export const SCREEN_CODE_REQUEST = z.strictObject({ name: ACCOUNT_NAME });
export const SCREEN_ENROL_REQUEST = z.strictObject({ code: z.string().min(1).max(64) });
