CREATE TABLE "dev_discount_codes" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"mutation" text NOT NULL,
	"input" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dev_discount_codes_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "reward_settings" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"used_reward_on_full_refund" text DEFAULT 'keep' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_settings_refund_policy_valid" CHECK ("reward_settings"."used_reward_on_full_refund" in ('keep','restore_points'))
);
--> statement-breakpoint
CREATE TABLE "customer_fingerprints" (
	"merchant_id" text NOT NULL,
	"kind" text NOT NULL,
	"value_hash" text NOT NULL,
	"customer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_fingerprints_merchant_id_kind_value_hash_customer_id_pk" PRIMARY KEY("merchant_id","kind","value_hash","customer_id"),
	CONSTRAINT "customer_fingerprints_kind_valid" CHECK ("customer_fingerprints"."kind" in ('email','phone','address'))
);
--> statement-breakpoint
ALTER TABLE "email_templates" DROP CONSTRAINT "email_templates_type_valid";--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD COLUMN "steps" integer;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD COLUMN "issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "friend_discount_code" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "friend_shopify_discount_id" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "completed_via" text;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "dead_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dev_discount_codes" ADD CONSTRAINT "dev_discount_codes_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_settings" ADD CONSTRAINT "reward_settings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_fingerprints" ADD CONSTRAINT "customer_fingerprints_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_fingerprints" ADD CONSTRAINT "customer_fingerprints_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dev_discount_codes_code_key" ON "dev_discount_codes" USING btree ("merchant_id","code");--> statement-breakpoint
CREATE INDEX "idx_customer_fingerprints_customer" ON "customer_fingerprints" USING btree ("merchant_id","customer_id");--> statement-breakpoint
CREATE INDEX "idx_reward_redemptions_reserved" ON "reward_redemptions" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_friend_discount_code_key" ON "referrals" USING btree ("merchant_id","friend_discount_code");--> statement-breakpoint
CREATE INDEX "idx_notification_outbox_merchant_status" ON "notification_outbox" USING btree ("merchant_id","status","created_at");--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_steps_positive" CHECK (coalesce("reward_redemptions"."steps", 1) > 0);--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_type_valid" CHECK ("email_templates"."type" in ('referral','tier_change','points_earned','reward_issued','expiry_reminder','popup','plan_change','referral_completed','badge_awarded','campaign_started'));