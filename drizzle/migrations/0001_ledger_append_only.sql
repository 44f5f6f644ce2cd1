-- The points ledger is append-only (DESIGN.md §3): a posted entry is never updated or deleted;
-- corrections are new entries. Enforced here so no code path, and no hand-run SQL, can rewrite history.
CREATE OR REPLACE FUNCTION points_transactions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points_transactions is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER points_transactions_no_update
  BEFORE UPDATE ON points_transactions
  FOR EACH ROW EXECUTE FUNCTION points_transactions_append_only();
--> statement-breakpoint
CREATE TRIGGER points_transactions_no_delete
  BEFORE DELETE ON points_transactions
  FOR EACH ROW EXECUTE FUNCTION points_transactions_append_only();
