CREATE TABLE "audit_breaks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chain" text NOT NULL,
	"seq" bigint,
	"kind" text NOT NULL,
	"detail" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_chains" (
	"chain" text PRIMARY KEY NOT NULL,
	"head_seq" bigint DEFAULT 0 NOT NULL,
	"head_hash" text NOT NULL,
	"breaks" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"chain" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" text NOT NULL,
	"at" text NOT NULL,
	"device_id" text,
	"operator_id" text,
	"action" text NOT NULL,
	"subject" text,
	"detail" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"hash_ok" boolean NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_entries_chain_seq_pk" PRIMARY KEY("chain","seq")
);
--> statement-breakpoint
CREATE TABLE "device_events" (
	"device_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_events_device_id_event_id_pk" PRIMARY KEY("device_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_versions" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "feed_event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "feed_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "personal_data_purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD COLUMN "event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_breaks_chain_idx" ON "audit_breaks" USING btree ("chain","detected_at");--> statement-breakpoint
CREATE INDEX "audit_entries_received_idx" ON "audit_entries" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "device_events_event_idx" ON "device_events" USING btree ("event_id");--> statement-breakpoint
-- custom:audit
CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_breaks_append_only" BEFORE UPDATE OR DELETE ON "audit_breaks" FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
-- custom:trust
--> statement-breakpoint
-- custom:trust
-- Devices paired before events were bound to devices served every event: bind each of them to every
-- event that exists now (and record their caches as complete for them), so an upgrade neither cuts
-- terminals off in the middle of an event nor makes them pull everything again.
INSERT INTO "device_events" ("device_id", "event_id")
SELECT d."id", e."id" FROM "devices" d CROSS JOIN "events" e WHERE d."revoked_at" IS NULL;
--> statement-breakpoint
UPDATE "devices" d SET "feed_event_ids" = coalesce(
  (SELECT jsonb_agg(de."event_id" ORDER BY de."event_id") FROM "device_events" de WHERE de."device_id" = d."id"), '[]'::jsonb);
