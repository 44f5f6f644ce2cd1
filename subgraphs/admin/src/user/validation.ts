import { ADMIN_ROLES, type AdminRole } from '@herethere/db';
import { passwordProblem } from '../password';

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/i;
/** A shape check, not a deliverability check: one @, no spaces, a dot in the domain. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export interface AdminUserInput {
  username: string;
  email: string;
  password: string;
  role: string;
}

export interface Problem {
  field: 'username' | 'email' | 'password' | 'role';
  message: string;
}

export function emailProblem(email: string): string | null {
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) return 'email must be an email address such as ops@example.com';
  return null;
}

export const isAdminRole = (role: string): role is AdminRole => (ADMIN_ROLES as readonly string[]).includes(role);

/** Every problem with a new admin user, so the caller can show them all at once. */
export function adminUserInputProblems(input: AdminUserInput): Problem[] {
  const problems: Problem[] = [];
  if (!USERNAME_PATTERN.test(input.username)) problems.push({ field: 'username', message: 'username must be 3 to 40 letters, digits, dots, underscores or hyphens' });
  const email = emailProblem(input.email);
  if (email) problems.push({ field: 'email', message: email });
  const password = passwordProblem(input.password);
  if (password) problems.push({ field: 'password', message: password });
  if (!isAdminRole(input.role)) problems.push({ field: 'role', message: `role must be one of ${ADMIN_ROLES.join(', ')}` });
  return problems;
}

/** Usernames and emails are unique case-insensitively; we keep the case given but trim blanks. */
export function normalizeAdminUserInput(input: AdminUserInput): AdminUserInput {
  return { ...input, username: input.username.trim(), email: input.email.trim() };
}
