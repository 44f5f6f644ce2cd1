import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { randomToken } from '@herethere/runtime';

/**
 * `Algorithm` is a `declare const enum` in the binding's types and an empty object at runtime, so
 * under isolatedModules (tsx, Vite) `Algorithm.Argon2id` would be `undefined` and the library
 * default would silently apply. The value is spelled out, typed by the enum.
 */
const ARGON2ID = 2 as Algorithm.Argon2id;

/** argon2id with explicit parameters (OWASP's minimum: 19 MiB, 2 passes, 1 lane), never defaults. */
export const ARGON2_OPTIONS: Readonly<Options> = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: ARGON2ID });

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the work an attacker can make us do per attempt. */
export const PASSWORD_MAX_LENGTH = 256;

/** Why a password is not acceptable, or null. Counts characters, not UTF-16 units. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

/** Hashes a password that meets the policy into an argon2id PHC string; throws otherwise. */
export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  return hash(password, ARGON2_OPTIONS);
}

/** True when the password matches; a malformed stored hash is a mismatch, not a crash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's, so login should rehash it. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return o.algorithm !== ARGON2ID || o.memoryCost !== ARGON2_OPTIONS.memoryCost || o.timeCost !== ARGON2_OPTIONS.timeCost || o.parallelism !== ARGON2_OPTIONS.parallelism;
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the same parameters: login verifies against it when the
 * username is unknown, so a miss costs as long as a wrong password and does not reveal the user.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hash(randomToken(24), ARGON2_OPTIONS);
  return dummy;
}
