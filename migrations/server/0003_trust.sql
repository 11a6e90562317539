CREATE TABLE "device_events" (
	"device_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_events_device_id_event_id_pk" PRIMARY KEY("device_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "feed_event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "feed_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "personal_data_purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD COLUMN "event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_events" ADD CONSTRAINT "device_events_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_events_event_idx" ON "device_events" USING btree ("event_id");--> statement-breakpoint
-- custom:trust
-- Devices paired before events were bound to devices served every event: bind each of them to every
-- event that exists now (and record their caches as complete for them), so an upgrade neither cuts
-- terminals off in the middle of an event nor makes them pull everything again.
INSERT INTO "device_events" ("device_id", "event_id")
SELECT d."id", e."id" FROM "devices" d CROSS JOIN "events" e WHERE d."revoked_at" IS NULL;
--> statement-breakpoint
UPDATE "devices" d SET "feed_event_ids" = coalesce(
  (SELECT jsonb_agg(de."event_id" ORDER BY de."event_id") FROM "device_events" de WHERE de."device_id" = d."id"), '[]'::jsonb);
