/** The driver error behind a failed query: drizzle wraps it in `cause`, and the drivers differ. */
interface PgError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  cause?: unknown;
}

/** The unique constraint a write violated (PostgreSQL 23505), or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  let e = err as PgError | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.code === '23505') return e.constraint_name ?? e.constraint ?? '';
    e = e.cause as PgError | undefined;
  }
  return null;
}
