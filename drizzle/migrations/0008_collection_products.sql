CREATE TABLE "collection_products" (
	"merchant_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"product_id" text NOT NULL,
	CONSTRAINT "collection_products_merchant_id_collection_id_product_id_pk" PRIMARY KEY("merchant_id","collection_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "collection_syncs" (
	"merchant_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"product_count" integer NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "collection_syncs_merchant_id_collection_id_pk" PRIMARY KEY("merchant_id","collection_id")
);
--> statement-breakpoint
ALTER TABLE "collection_products" ADD CONSTRAINT "collection_products_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_syncs" ADD CONSTRAINT "collection_syncs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_collection_products_product" ON "collection_products" USING btree ("merchant_id","product_id");--> statement-breakpoint
CREATE INDEX "idx_collection_syncs_age" ON "collection_syncs" USING btree ("synced_at");