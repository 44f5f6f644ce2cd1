ALTER TABLE "merchants" ADD COLUMN "config_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Any change to a merchant's row (other than the version itself) moves its config version, so
-- every writer, including hand-run SQL, invalidates the configuration processes cache.
CREATE OR REPLACE FUNCTION merchants_bump_config_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.config_version = OLD.config_version AND NEW IS DISTINCT FROM OLD THEN
    NEW.config_version := OLD.config_version + 1;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER merchants_config_version
  BEFORE UPDATE ON merchants
  FOR EACH ROW EXECUTE FUNCTION merchants_bump_config_version();
--> statement-breakpoint
-- The program, tiers, campaigns and badge definitions are the merchant's configuration too.
CREATE OR REPLACE FUNCTION merchant_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  merchant text;
BEGIN
  IF TG_OP = 'DELETE' THEN merchant := OLD.merchant_id; ELSE merchant := NEW.merchant_id; END IF;
  UPDATE merchants SET config_version = config_version + 1 WHERE id = merchant;
  IF TG_OP = 'UPDATE' AND OLD.merchant_id IS DISTINCT FROM NEW.merchant_id THEN
    UPDATE merchants SET config_version = config_version + 1 WHERE id = OLD.merchant_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER program_settings_config_version AFTER INSERT OR UPDATE OR DELETE ON program_settings
  FOR EACH ROW EXECUTE FUNCTION merchant_config_changed();
--> statement-breakpoint
CREATE TRIGGER vip_tiers_config_version AFTER INSERT OR UPDATE OR DELETE ON vip_tiers
  FOR EACH ROW EXECUTE FUNCTION merchant_config_changed();
--> statement-breakpoint
CREATE TRIGGER bonus_campaigns_config_version AFTER INSERT OR UPDATE OR DELETE ON bonus_campaigns
  FOR EACH ROW EXECUTE FUNCTION merchant_config_changed();
--> statement-breakpoint
CREATE TRIGGER badge_definitions_config_version AFTER INSERT OR UPDATE OR DELETE ON badge_definitions
  FOR EACH ROW EXECUTE FUNCTION merchant_config_changed();
