CREATE TABLE "merchants" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_domain" text NOT NULL,
	"name" text NOT NULL,
	"plan_id" text NOT NULL,
	"currency" char(3) DEFAULT 'USD' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"default_language" text DEFAULT 'en' NOT NULL,
	"languages" jsonb DEFAULT '["en"]'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"access_token_sealed" text,
	"scopes" text,
	"brand_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uninstalled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_status_valid" CHECK ("merchants"."status" in ('active','uninstalled','redacted')),
	CONSTRAINT "merchants_domain_format" CHECK ("merchants"."shop_domain" ~ '^[a-z0-9][a-z0-9-]*\.myshopify\.com$')
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"order_limit" integer,
	"base_price_minor" integer NOT NULL,
	"currency" char(3) DEFAULT 'USD' NOT NULL,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_price_nonneg" CHECK ("plans"."base_price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "program_settings" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"points_currency_singular" text DEFAULT 'Point' NOT NULL,
	"points_currency_plural" text DEFAULT 'Points' NOT NULL,
	"earning" jsonb NOT NULL,
	"expiry" jsonb DEFAULT '{"kind":"none"}'::jsonb NOT NULL,
	"referral" jsonb NOT NULL,
	"rfm_thresholds" jsonb,
	"setup_tasks_completed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"checkout" jsonb DEFAULT '{"enabled":false,"showRedeem":false}'::jsonb NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tier_stacking_policy" text DEFAULT 'multiply' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"shopify_customer_id" text,
	"email" text,
	"email_normalized" text,
	"first_name" text,
	"last_name" text,
	"phone" text,
	"birthday" date,
	"birthday_set_at" timestamp with time zone,
	"language" text,
	"state" text DEFAULT 'member' NOT NULL,
	"accepts_marketing" boolean DEFAULT false NOT NULL,
	"leaderboard_opt_out" boolean DEFAULT false NOT NULL,
	"points_balance" integer DEFAULT 0 NOT NULL,
	"points_pending" integer DEFAULT 0 NOT NULL,
	"total_points_earned" integer DEFAULT 0 NOT NULL,
	"total_points_redeemed" integer DEFAULT 0 NOT NULL,
	"total_points_expired" integer DEFAULT 0 NOT NULL,
	"lifetime_spend_minor" bigint DEFAULT 0 NOT NULL,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"vip_tier_id" text,
	"rfm_score" jsonb,
	"last_activity_at" timestamp with time zone,
	"ledger_seq" integer DEFAULT 0 NOT NULL,
	"ledger_head_hash" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "customers_state_valid" CHECK ("customers"."state" in ('member','guest','redacted')),
	CONSTRAINT "customers_pending_nonneg" CHECK ("customers"."points_pending" >= 0),
	CONSTRAINT "customers_totals_nonneg" CHECK ("customers"."total_points_earned" >= 0 and "customers"."total_points_redeemed" >= 0 and "customers"."total_points_expired" >= 0)
);
--> statement-breakpoint
CREATE TABLE "points_transactions" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"type" text NOT NULL,
	"points" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"order_id" text,
	"refund_id" text,
	"campaign_id" text,
	"redemption_id" text,
	"referral_id" text,
	"idempotency_key" text NOT NULL,
	"actor" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"seq" integer NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_transactions_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "points_transactions_nonzero" CHECK ("points_transactions"."points" <> 0),
	CONSTRAINT "points_transactions_type_valid" CHECK ("points_transactions"."type" in ('purchase','signup','review','birthday','referral','redemption','redemption_void','refund_clawback','cancellation','expiry','admin_adjust','campaign','tier_bonus','custom','import','pending_release')),
	CONSTRAINT "points_transactions_no_negative_balance" CHECK ("points_transactions"."balance_after" >= 0 or "points_transactions"."type" in ('refund_clawback','cancellation','admin_adjust'))
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"admin_user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_users_role_valid" CHECK ("admin_users"."role" in ('owner','support','viewer'))
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"display_prefix" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "api_logs" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"route" text NOT NULL,
	"method" text NOT NULL,
	"status_code" integer NOT NULL,
	"principal" text NOT NULL,
	"operation_name" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_logs_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"admin_user_id" text,
	"merchant_id" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"merchant_id" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_records_merchant_id_scope_key_pk" PRIMARY KEY("merchant_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "webhook_inbox" (
	"merchant_id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"topic" text NOT NULL,
	"shop_domain" text NOT NULL,
	"api_version" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "webhook_inbox_merchant_id_webhook_id_pk" PRIMARY KEY("merchant_id","webhook_id"),
	CONSTRAINT "webhook_inbox_status_valid" CHECK ("webhook_inbox"."status" in ('received','processing','processed','failed','dead'))
);
--> statement-breakpoint
CREATE TABLE "reward_redemptions" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"reward_id" text NOT NULL,
	"points_spent" integer NOT NULL,
	"value_minor" integer DEFAULT 0 NOT NULL,
	"currency" char(3) NOT NULL,
	"discount_code" text,
	"shopify_discount_id" text,
	"status" text DEFAULT 'reserved' NOT NULL,
	"idempotency_key" text NOT NULL,
	"reserve_txn_id" text,
	"expires_at" timestamp with time zone,
	"used_order_id" text,
	"used_at" timestamp with time zone,
	"voided_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_redemptions_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "reward_redemptions_status_valid" CHECK ("reward_redemptions"."status" in ('reserved','issued','used','expired','voided')),
	CONSTRAINT "reward_redemptions_amounts_nonneg" CHECK ("reward_redemptions"."points_spent" >= 0 and "reward_redemptions"."value_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"points_cost" integer DEFAULT 0 NOT NULL,
	"value_minor" integer,
	"percentage_bp" integer,
	"product_variant_id" text,
	"points_per_step" integer,
	"value_minor_per_step" integer,
	"max_steps" integer,
	"currency" char(3) NOT NULL,
	"min_order_minor" integer,
	"code_expiry_days" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"per_customer_limit" integer,
	"combines_with" jsonb DEFAULT '{"order":false,"product":false,"shipping":false}'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "rewards_kind_valid" CHECK ("rewards"."kind" in ('fixed_amount','percentage','free_shipping','free_product','points_slider')),
	CONSTRAINT "rewards_amounts_nonneg" CHECK ("rewards"."points_cost" >= 0 and coalesce("rewards"."value_minor", 0) >= 0 and coalesce("rewards"."min_order_minor", 0) >= 0),
	CONSTRAINT "rewards_limits_positive" CHECK (coalesce("rewards"."code_expiry_days", 1) > 0 and coalesce("rewards"."per_customer_limit", 1) > 0),
	CONSTRAINT "rewards_fixed_amount_fields" CHECK ("rewards"."kind" <> 'fixed_amount' or ("rewards"."value_minor" is not null and "rewards"."value_minor" > 0)),
	CONSTRAINT "rewards_percentage_fields" CHECK ("rewards"."kind" <> 'percentage' or ("rewards"."percentage_bp" is not null and "rewards"."percentage_bp" between 1 and 10000)),
	CONSTRAINT "rewards_free_product_fields" CHECK ("rewards"."kind" <> 'free_product' or "rewards"."product_variant_id" is not null),
	CONSTRAINT "rewards_slider_fields" CHECK ("rewards"."kind" <> 'points_slider' or ("rewards"."points_per_step" is not null and "rewards"."points_per_step" > 0 and "rewards"."value_minor_per_step" is not null and "rewards"."value_minor_per_step" > 0 and "rewards"."max_steps" is not null and "rewards"."max_steps" > 0))
);
--> statement-breakpoint
CREATE TABLE "referral_links" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"advocate_customer_id" text NOT NULL,
	"referral_code" text NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_links_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "referral_links_clicks_nonneg" CHECK ("referral_links"."clicks" >= 0)
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"referral_link_id" text NOT NULL,
	"advocate_customer_id" text NOT NULL,
	"friend_customer_id" text,
	"friend_email_normalized" text,
	"reward_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decision" jsonb,
	"rejected_reason" text,
	"landing_ip" text,
	"order_id" text,
	"approved_by" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "referrals_status_valid" CHECK ("referrals"."status" in ('pending','completed','rejected')),
	CONSTRAINT "referrals_completed_at" CHECK ("referrals"."status" <> 'completed' or "referrals"."completed_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "tier_changes" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"from_tier_id" text,
	"to_tier_id" text,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_changes_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "tier_changes_is_change" CHECK ("tier_changes"."from_tier_id" is distinct from "tier_changes"."to_tier_id")
);
--> statement-breakpoint
CREATE TABLE "vip_tiers" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"threshold_kind" text NOT NULL,
	"threshold_value" bigint NOT NULL,
	"qualification_window" text DEFAULT 'lifetime' NOT NULL,
	"earning_multiplier_bp" integer DEFAULT 10000 NOT NULL,
	"perks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"entry_reward" jsonb,
	"entry_reward_id" text,
	"retention_days" integer,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vip_tiers_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "vip_tiers_threshold_kind_valid" CHECK ("vip_tiers"."threshold_kind" in ('money_spent','points_earned','order_count')),
	CONSTRAINT "vip_tiers_window_valid" CHECK ("vip_tiers"."qualification_window" in ('lifetime','rolling_12_months','calendar_year')),
	CONSTRAINT "vip_tiers_multiplier_range" CHECK ("vip_tiers"."earning_multiplier_bp" > 0 and "vip_tiers"."earning_multiplier_bp" <= 100000),
	CONSTRAINT "vip_tiers_threshold_nonneg" CHECK ("vip_tiers"."threshold_value" >= 0),
	CONSTRAINT "vip_tiers_retention_nonneg" CHECK (coalesce("vip_tiers"."retention_days", 0) >= 0),
	CONSTRAINT "vip_tiers_position_nonneg" CHECK ("vip_tiers"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "nudge_events" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"nudge_id" text NOT NULL,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nudge_events_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "nudge_events_action_valid" CHECK ("nudge_events"."action" in ('shown','clicked','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "nudges" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"segment" text,
	"display" text DEFAULT 'popup' NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nudges_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "nudges_display_valid" CHECK ("nudges"."display" in ('popup','banner'))
);
--> statement-breakpoint
CREATE TABLE "badge_definitions" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"image_url" text,
	"rule" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "badge_definitions_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "badge_definitions_rule_kind_valid" CHECK ("badge_definitions"."rule"->>'kind' in ('first_purchase','orders_count','referrals','reviews','tier_reached','streak'))
);
--> statement-breakpoint
CREATE TABLE "gamification_achievements" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"badge_id" text NOT NULL,
	"badge" text NOT NULL,
	"awarded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gamification_achievements_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "email_events" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"event_type" text NOT NULL,
	"recipient_email" text,
	"recipient_phone" text,
	"template_id" text,
	"outbox_id" text,
	"provider" text,
	"provider_message_id" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_events_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "email_templates" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"channel" text DEFAULT 'email' NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_templates_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "email_templates_type_valid" CHECK ("email_templates"."type" in ('referral','tier_change','points_earned','reward_issued','expiry_reminder','popup','plan_change')),
	CONSTRAINT "email_templates_channel_valid" CHECK ("email_templates"."channel" in ('email','sms'))
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"provider_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notification_outbox_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "notification_outbox_channel_valid" CHECK ("notification_outbox"."channel" in ('email','sms','klaviyo_event')),
	CONSTRAINT "notification_outbox_status_valid" CHECK ("notification_outbox"."status" in ('pending','sending','sent','dead')),
	CONSTRAINT "notification_outbox_attempts_nonneg" CHECK ("notification_outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "customer_segments" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rules" jsonb NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"customer_count" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_segments_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "customer_segments_count_nonneg" CHECK ("customer_segments"."customer_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "export_jobs" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress_pct" integer DEFAULT 0 NOT NULL,
	"rows_total" integer,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"file_name" text,
	"content_type" text,
	"file_content" text,
	"storage_key" text,
	"error" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "export_jobs_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "export_jobs_status_valid" CHECK ("export_jobs"."status" in ('queued','running','done','failed')),
	CONSTRAINT "export_jobs_progress_range" CHECK ("export_jobs"."progress_pct" between 0 and 100),
	CONSTRAINT "export_jobs_rows_nonneg" CHECK ("export_jobs"."rows_done" >= 0 and coalesce("export_jobs"."rows_total", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "bonus_campaigns" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"multiplier_bp" integer,
	"bonus_points" integer,
	"goal_minor" integer,
	"currency" char(3),
	"product_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"collection_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tier_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"segment_id" text,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bonus_campaigns_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "bonus_campaigns_type_valid" CHECK ("bonus_campaigns"."type" in ('multiplier','spend_goal','product_bonus','tier_bonus','segment_bonus')),
	CONSTRAINT "bonus_campaigns_status_valid" CHECK ("bonus_campaigns"."status" in ('draft','scheduled','active','paused','ended','cancelled')),
	CONSTRAINT "bonus_campaigns_window" CHECK ("bonus_campaigns"."ends_at" > "bonus_campaigns"."starts_at"),
	CONSTRAINT "bonus_campaigns_multiplier_range" CHECK ("bonus_campaigns"."multiplier_bp" is null or ("bonus_campaigns"."multiplier_bp" > 0 and "bonus_campaigns"."multiplier_bp" <= 100000)),
	CONSTRAINT "bonus_campaigns_amounts_nonneg" CHECK (coalesce("bonus_campaigns"."bonus_points", 0) >= 0 and coalesce("bonus_campaigns"."goal_minor", 0) >= 0),
	CONSTRAINT "bonus_campaigns_awards_something" CHECK ("bonus_campaigns"."multiplier_bp" is not null or "bonus_campaigns"."bonus_points" is not null),
	CONSTRAINT "bonus_campaigns_multiplier_fields" CHECK ("bonus_campaigns"."type" <> 'multiplier' or "bonus_campaigns"."multiplier_bp" is not null),
	CONSTRAINT "bonus_campaigns_spend_goal_fields" CHECK ("bonus_campaigns"."type" <> 'spend_goal' or ("bonus_campaigns"."goal_minor" is not null and "bonus_campaigns"."currency" is not null and "bonus_campaigns"."bonus_points" is not null)),
	CONSTRAINT "bonus_campaigns_goal_currency" CHECK ("bonus_campaigns"."goal_minor" is null or "bonus_campaigns"."currency" is not null)
);
--> statement-breakpoint
CREATE TABLE "import_logs" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total_count" integer DEFAULT 0 NOT NULL,
	"success_count" integer DEFAULT 0 NOT NULL,
	"fail_count" integer DEFAULT 0 NOT NULL,
	"fail_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_logs_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "import_logs_status_valid" CHECK ("import_logs"."status" in ('queued','running','done','failed')),
	CONSTRAINT "import_logs_counts_nonneg" CHECK ("import_logs"."total_count" >= 0 and "import_logs"."success_count" >= 0 and "import_logs"."fail_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'unknown' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"api_key_sealed" text,
	"last_checked_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "integrations_type_valid" CHECK ("integrations"."type" in ('shopify','klaviyo','twilio','square','lightspeed','custom')),
	CONSTRAINT "integrations_status_valid" CHECK ("integrations"."status" in ('ok','error','unknown','disabled'))
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_settings" ADD CONSTRAINT "program_settings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_transactions" ADD CONSTRAINT "points_transactions_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_admin_user_id_admin_users_id_fk" FOREIGN KEY ("admin_user_id") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_admin_user_id_admin_users_id_fk" FOREIGN KEY ("admin_user_id") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD CONSTRAINT "webhook_inbox_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_redemptions" ADD CONSTRAINT "reward_redemptions_reward_fk" FOREIGN KEY ("merchant_id","reward_id") REFERENCES "public"."rewards"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_links" ADD CONSTRAINT "referral_links_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_links" ADD CONSTRAINT "referral_links_advocate_fk" FOREIGN KEY ("merchant_id","advocate_customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_link_fk" FOREIGN KEY ("merchant_id","referral_link_id") REFERENCES "public"."referral_links"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_advocate_fk" FOREIGN KEY ("merchant_id","advocate_customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_friend_fk" FOREIGN KEY ("merchant_id","friend_customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_reward_fk" FOREIGN KEY ("merchant_id","reward_id") REFERENCES "public"."rewards"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_changes" ADD CONSTRAINT "tier_changes_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vip_tiers" ADD CONSTRAINT "vip_tiers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vip_tiers" ADD CONSTRAINT "vip_tiers_entry_reward_fk" FOREIGN KEY ("merchant_id","entry_reward_id") REFERENCES "public"."rewards"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudge_events" ADD CONSTRAINT "nudge_events_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudge_events" ADD CONSTRAINT "nudge_events_nudge_fk" FOREIGN KEY ("merchant_id","nudge_id") REFERENCES "public"."nudges"("merchant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudges" ADD CONSTRAINT "nudges_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_definitions" ADD CONSTRAINT "badge_definitions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gamification_achievements" ADD CONSTRAINT "gamification_achievements_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gamification_achievements" ADD CONSTRAINT "gamification_achievements_badge_fk" FOREIGN KEY ("merchant_id","badge_id") REFERENCES "public"."badge_definitions"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_customer_fk" FOREIGN KEY ("merchant_id","customer_id") REFERENCES "public"."customers"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_segments" ADD CONSTRAINT "customer_segments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_jobs" ADD CONSTRAINT "export_jobs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bonus_campaigns" ADD CONSTRAINT "bonus_campaigns_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bonus_campaigns" ADD CONSTRAINT "bonus_campaigns_segment_fk" FOREIGN KEY ("merchant_id","segment_id") REFERENCES "public"."customer_segments"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_logs" ADD CONSTRAINT "import_logs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_shopify_domain_key" ON "merchants" USING btree ("shop_domain");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_shopify_id_key" ON "customers" USING btree ("merchant_id","shopify_customer_id");--> statement-breakpoint
CREATE INDEX "idx_customers_email" ON "customers" USING btree ("merchant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "idx_customers_email_normalized" ON "customers" USING btree ("merchant_id","email_normalized");--> statement-breakpoint
CREATE INDEX "idx_customers_name" ON "customers" USING btree ("merchant_id",lower("last_name"),lower("first_name"));--> statement-breakpoint
CREATE INDEX "idx_customers_points_balance" ON "customers" USING btree ("merchant_id","points_balance");--> statement-breakpoint
CREATE UNIQUE INDEX "points_transactions_idempotency_key" ON "points_transactions" USING btree ("merchant_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "points_transactions_chain_key" ON "points_transactions" USING btree ("merchant_id","customer_id","seq");--> statement-breakpoint
CREATE INDEX "idx_points_transactions_customer_id" ON "points_transactions" USING btree ("merchant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_points_transactions_order_id" ON "points_transactions" USING btree ("merchant_id","order_id");--> statement-breakpoint
CREATE INDEX "idx_points_transactions_type_created" ON "points_transactions" USING btree ("merchant_id","type","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_sessions_token_hash_key" ON "admin_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "idx_admin_sessions_user" ON "admin_sessions" USING btree ("admin_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_username_key" ON "admin_users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_email_key" ON "admin_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "idx_api_logs_created" ON "api_logs" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_created" ON "audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_admin" ON "audit_logs" USING btree ("admin_user_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_logs_merchant" ON "audit_logs" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_webhook_inbox_pending" ON "webhook_inbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_redemptions_idempotency_key" ON "reward_redemptions" USING btree ("merchant_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_redemptions_discount_code_key" ON "reward_redemptions" USING btree ("merchant_id","discount_code");--> statement-breakpoint
CREATE INDEX "idx_reward_redemptions_customer_id" ON "reward_redemptions" USING btree ("merchant_id","customer_id");--> statement-breakpoint
CREATE INDEX "idx_reward_redemptions_reward_id" ON "reward_redemptions" USING btree ("merchant_id","reward_id");--> statement-breakpoint
CREATE INDEX "idx_reward_redemptions_expiry" ON "reward_redemptions" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "idx_rewards_catalogue" ON "rewards" USING btree ("merchant_id","enabled","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_referral_links_referral_code" ON "referral_links" USING btree ("merchant_id","referral_code");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_links_advocate_key" ON "referral_links" USING btree ("merchant_id","advocate_customer_id");--> statement-breakpoint
CREATE INDEX "idx_referrals_advocate" ON "referrals" USING btree ("merchant_id","advocate_customer_id");--> statement-breakpoint
CREATE INDEX "idx_referrals_landing_ip" ON "referrals" USING btree ("merchant_id","landing_ip","created_at");--> statement-breakpoint
CREATE INDEX "idx_referrals_friend_email" ON "referrals" USING btree ("merchant_id","friend_email_normalized");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_friend_completed_key" ON "referrals" USING btree ("merchant_id","friend_customer_id") WHERE status = 'completed';--> statement-breakpoint
CREATE INDEX "idx_tier_changes_customer" ON "tier_changes" USING btree ("merchant_id","customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vip_tiers_position_key" ON "vip_tiers" USING btree ("merchant_id","position");--> statement-breakpoint
CREATE INDEX "idx_nudge_events_nudge" ON "nudge_events" USING btree ("merchant_id","nudge_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_nudge_events_customer" ON "nudge_events" USING btree ("merchant_id","customer_id","nudge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_definitions_key_key" ON "badge_definitions" USING btree ("merchant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "gamification_achievements_badge_key" ON "gamification_achievements" USING btree ("merchant_id","customer_id","badge_id");--> statement-breakpoint
CREATE INDEX "idx_gamification_achievements_awarded" ON "gamification_achievements" USING btree ("merchant_id","awarded_at");--> statement-breakpoint
CREATE INDEX "idx_email_events_customer" ON "email_events" USING btree ("merchant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_email_events_created" ON "email_events" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_email_events_provider_message" ON "email_events" USING btree ("provider","provider_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_templates_type_channel_language_key" ON "email_templates" USING btree ("merchant_id","type","channel","language");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outbox_dedupe_key" ON "notification_outbox" USING btree ("merchant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "idx_notification_outbox_pending" ON "notification_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "idx_export_jobs_created" ON "export_jobs" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_export_jobs_queue" ON "export_jobs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "idx_bonus_campaigns_window" ON "bonus_campaigns" USING btree ("merchant_id","status","starts_at","ends_at");--> statement-breakpoint
CREATE INDEX "idx_import_logs_started" ON "import_logs" USING btree ("merchant_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_type_key" ON "integrations" USING btree ("merchant_id","type");