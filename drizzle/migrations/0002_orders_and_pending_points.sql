CREATE TABLE "orders" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"shopify_customer_id" text,
	"email_normalized" text,
	"order_name" text,
	"currency" char(3) NOT NULL,
	"total_minor" integer NOT NULL,
	"earning_base_minor" integer NOT NULL,
	"refunded_minor" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"points_clawed_back" integer DEFAULT 0 NOT NULL,
	"discount_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"referral_code" text,
	"processed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "orders_status_valid" CHECK ("orders"."status" in ('paid','partially_refunded','refunded','cancelled')),
	CONSTRAINT "orders_amounts_nonneg" CHECK ("orders"."total_minor" >= 0 and "orders"."earning_base_minor" >= 0 and "orders"."refunded_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pending_points" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"order_id" text NOT NULL,
	"points" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"release_at" timestamp with time zone NOT NULL,
	"released_txn_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_points_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "pending_points_positive" CHECK ("pending_points"."points" > 0),
	CONSTRAINT "pending_points_status_valid" CHECK ("pending_points"."status" in ('pending','released','cancelled'))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_points" ADD CONSTRAINT "pending_points_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_orders_customer_processed" ON "orders" USING btree ("merchant_id","customer_id","processed_at");--> statement-breakpoint
CREATE INDEX "idx_orders_shopify_customer" ON "orders" USING btree ("merchant_id","shopify_customer_id");--> statement-breakpoint
CREATE INDEX "idx_pending_points_release" ON "pending_points" USING btree ("status","release_at");--> statement-breakpoint
CREATE INDEX "idx_pending_points_order" ON "pending_points" USING btree ("merchant_id","order_id");