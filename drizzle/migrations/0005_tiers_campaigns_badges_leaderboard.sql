CREATE TABLE "customer_tier_status" (
	"merchant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"tier_id" text,
	"tier_since" timestamp with time zone,
	"qualified_tier_id" text,
	"below_since" timestamp with time zone,
	"retained_until" timestamp with time zone,
	"override_active" boolean DEFAULT false NOT NULL,
	"override_tier_id" text,
	"override_until" timestamp with time zone,
	"override_reason" text,
	"override_by" text,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_tier_status_merchant_id_customer_id_pk" PRIMARY KEY("merchant_id","customer_id"),
	CONSTRAINT "customer_tier_status_override_consistent" CHECK ("customer_tier_status"."override_active" or ("customer_tier_status"."override_tier_id" is null and "customer_tier_status"."override_until" is null))
);
--> statement-breakpoint
CREATE TABLE "gamification_jobs" (
	"merchant_id" text NOT NULL,
	"kind" text NOT NULL,
	"requested_at" timestamp with time zone,
	"reason" text,
	"last_run_at" timestamp with time zone,
	"last_run_key" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gamification_jobs_merchant_id_kind_pk" PRIMARY KEY("merchant_id","kind"),
	CONSTRAINT "gamification_jobs_kind_valid" CHECK ("gamification_jobs"."kind" in ('tier_recompute','tier_nightly','badge_backfill'))
);
--> statement-breakpoint
CREATE TABLE "tier_entry_grants" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"tier_id" text NOT NULL,
	"tier_change_id" text NOT NULL,
	"kind" text NOT NULL,
	"points" integer,
	"reward_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"settled_ref" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "tier_entry_grants_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "tier_entry_grants_kind_valid" CHECK ("tier_entry_grants"."kind" in ('points','reward')),
	CONSTRAINT "tier_entry_grants_status_valid" CHECK ("tier_entry_grants"."status" in ('pending','granted','failed')),
	CONSTRAINT "tier_entry_grants_points_fields" CHECK ("tier_entry_grants"."kind" <> 'points' or ("tier_entry_grants"."points" is not null and "tier_entry_grants"."points" > 0)),
	CONSTRAINT "tier_entry_grants_reward_fields" CHECK ("tier_entry_grants"."kind" <> 'reward' or "tier_entry_grants"."reward_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "leaderboard_deltas" (
	"merchant_id" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "leaderboard_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" text NOT NULL,
	"points" integer NOT NULL,
	"week_key" text NOT NULL,
	"month_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leaderboard_deltas_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_histogram" (
	"merchant_id" text NOT NULL,
	"period" text NOT NULL,
	"period_key" text NOT NULL,
	"level" smallint NOT NULL,
	"bucket" bigint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "leaderboard_histogram_merchant_id_period_period_key_level_bucket_pk" PRIMARY KEY("merchant_id","period","period_key","level","bucket"),
	CONSTRAINT "leaderboard_histogram_level_valid" CHECK ("leaderboard_histogram"."level" in (0, 1, 2)),
	CONSTRAINT "leaderboard_histogram_n_nonneg" CHECK ("leaderboard_histogram"."n" >= 0)
);
--> statement-breakpoint
CREATE TABLE "leaderboard_scores" (
	"merchant_id" text NOT NULL,
	"period" text NOT NULL,
	"period_key" text NOT NULL,
	"customer_id" text NOT NULL,
	"points" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leaderboard_scores_merchant_id_period_period_key_customer_id_pk" PRIMARY KEY("merchant_id","period","period_key","customer_id"),
	CONSTRAINT "leaderboard_scores_period_valid" CHECK ("leaderboard_scores"."period" in ('week','month','all'))
);
--> statement-breakpoint
CREATE TABLE "campaign_awards" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"order_id" text,
	"transaction_id" text NOT NULL,
	"points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_awards_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
ALTER TABLE "tier_changes" ADD COLUMN "details" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_tier_status" ADD CONSTRAINT "customer_tier_status_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gamification_jobs" ADD CONSTRAINT "gamification_jobs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_entry_grants" ADD CONSTRAINT "tier_entry_grants_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_awards" ADD CONSTRAINT "campaign_awards_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_customer_tier_status_tier" ON "customer_tier_status" USING btree ("merchant_id","tier_id");--> statement-breakpoint
CREATE INDEX "idx_customer_tier_status_retention_due" ON "customer_tier_status" USING btree ("retained_until") WHERE "customer_tier_status"."retained_until" is not null;--> statement-breakpoint
CREATE INDEX "idx_customer_tier_status_override_due" ON "customer_tier_status" USING btree ("override_until") WHERE "customer_tier_status"."override_active" and "customer_tier_status"."override_until" is not null;--> statement-breakpoint
CREATE INDEX "idx_gamification_jobs_requested" ON "gamification_jobs" USING btree ("requested_at") WHERE "gamification_jobs"."requested_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tier_entry_grants_once_key" ON "tier_entry_grants" USING btree ("merchant_id","customer_id","tier_id");--> statement-breakpoint
CREATE INDEX "idx_tier_entry_grants_pending" ON "tier_entry_grants" USING btree ("status","created_at") WHERE "tier_entry_grants"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_leaderboard_scores_top" ON "leaderboard_scores" USING btree ("merchant_id","period","period_key","points" desc,"customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_awards_entry_key" ON "campaign_awards" USING btree ("merchant_id","transaction_id","campaign_id");--> statement-breakpoint
CREATE INDEX "idx_campaign_awards_campaign" ON "campaign_awards" USING btree ("merchant_id","campaign_id","customer_id");