CREATE SEQUENCE "public"."event_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "annulments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"checkin_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "check_in_points" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"name" jsonb NOT NULL,
	"ticket_type_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"zone" text,
	"direction" text NOT NULL,
	"reentry" text NOT NULL,
	"windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"auto_checkout_at" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "check_in_points_direction" CHECK ("check_in_points"."direction" in ('entry', 'exit')),
	CONSTRAINT "check_in_points_reentry" CHECK ("check_in_points"."reentry" in ('single', 'unlimited', 'after_exit', 'once_per_day')),
	CONSTRAINT "check_in_points_auto_checkout" CHECK ("check_in_points"."auto_checkout_at" is null or "check_in_points"."auto_checkout_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "event_keys" (
	"event_id" uuid NOT NULL,
	"key_id" integer NOT NULL,
	"public_key" text NOT NULL,
	"private_key" text NOT NULL,
	"signing" boolean NOT NULL,
	"retired" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "event_keys_event_id_key_id_pk" PRIMARY KEY("event_id","key_id"),
	CONSTRAINT "event_keys_key_id" CHECK ("event_keys"."key_id" between 0 and 255)
);
--> statement-breakpoint
CREATE TABLE "failed_scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"code" text NOT NULL,
	"ticket_id" uuid,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"point_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkins" DROP CONSTRAINT "checkins_status";--> statement-breakpoint
DROP INDEX "checkins_one_accepted_per_ticket";--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "point_id" uuid;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "direction" text DEFAULT 'entry' NOT NULL;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "checkins" ADD COLUMN "conflicts_with" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "no" integer DEFAULT nextval('event_no_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "rotation_period_s" integer;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "id_salt" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL;--> statement-breakpoint
-- Hand-edited: existing ticket types are numbered 1, 2, … within their event (in sort order) before the
-- column becomes NOT NULL without default; the UPDATE also re-stamps their seq, so terminals pull them again.
ALTER TABLE "ticket_types" ADD COLUMN "no" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "ticket_types" SET "no" = n.no FROM (
  SELECT "id", row_number() OVER (PARTITION BY "event_id" ORDER BY "sort_order", "id") AS no FROM "ticket_types"
) n WHERE n."id" = "ticket_types"."id";--> statement-breakpoint
ALTER TABLE "ticket_types" ALTER COLUMN "no" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "zones" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "order_code" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "phone_last4" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "id_hash" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "rotating_secret" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "valid_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "valid_to" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "annulments" ADD CONSTRAINT "annulments_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_points" ADD CONSTRAINT "check_in_points_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_keys" ADD CONSTRAINT "event_keys_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failed_scans" ADD CONSTRAINT "failed_scans_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "annulments_checkin_idx" ON "annulments" USING btree ("checkin_id");--> statement-breakpoint
CREATE INDEX "annulments_pending_idx" ON "annulments" USING btree ("checkin_id") WHERE applied_at is null;--> statement-breakpoint
CREATE INDEX "check_in_points_seq_idx" ON "check_in_points" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "check_in_points_event_idx" ON "check_in_points" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_keys_seq_idx" ON "event_keys" USING btree ("seq");--> statement-breakpoint
CREATE UNIQUE INDEX "event_keys_one_signing_per_event" ON "event_keys" USING btree ("event_id") WHERE signing;--> statement-breakpoint
CREATE INDEX "failed_scans_received_idx" ON "failed_scans" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "revocations_seq_idx" ON "revocations" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "checkins_ticket_idx" ON "checkins" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "checkins_conflicts_idx" ON "checkins" USING btree ("received_at") WHERE status = 'conflict';--> statement-breakpoint
CREATE UNIQUE INDEX "events_no_idx" ON "events" USING btree ("no");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_types_event_no_idx" ON "ticket_types" USING btree ("event_id","no");--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_direction" CHECK ("checkins"."direction" in ('entry', 'exit'));--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_status" CHECK ("checkins"."status" in ('accepted', 'conflict', 'annulled'));--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_rotation_period" CHECK ("events"."rotation_period_s" is null or "events"."rotation_period_s" > 0);--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_no_range" CHECK ("ticket_types"."no" between 0 and 65535);--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_phone_last4" CHECK ("tickets"."phone_last4" is null or "tickets"."phone_last4" ~ '^[0-9]{4}$');--> statement-breakpoint
-- Hand-written: re-stamp existing events (they gained no / id_salt) and sold tickets (they gain their
-- order code), so terminals pull the new fields; new replicated tables get the seq trigger of 0001.
UPDATE "events" SET "no" = "no";--> statement-breakpoint
UPDATE "tickets" SET "order_code" = "orders"."code" FROM "orders" WHERE "orders"."id" = "tickets"."order_id";--> statement-breakpoint
CREATE TRIGGER "check_in_points_bump_change_seq" BEFORE UPDATE ON "check_in_points" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();--> statement-breakpoint
CREATE TRIGGER "event_keys_bump_change_seq" BEFORE UPDATE ON "event_keys" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();--> statement-breakpoint
CREATE TRIGGER "revocations_bump_change_seq" BEFORE UPDATE ON "revocations" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
