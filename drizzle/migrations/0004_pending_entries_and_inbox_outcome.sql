ALTER TABLE "webhook_inbox" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "pending_points" ADD COLUMN "entries" jsonb NOT NULL;