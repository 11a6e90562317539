CREATE TABLE "attendee_info" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"label" jsonb,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "entitlements_kind" CHECK ("entitlements"."kind" ~ '^[a-z][a-z0-9_-]{0,39}$')
);
--> statement-breakpoint
CREATE TABLE "kiosk_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"event_id" uuid,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"ticket_id" uuid,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "kiosk_alerts_kind" CHECK ("kiosk_alerts"."kind" in ('printer', 'camera', 'scanner', 'refused', 'help'))
);
--> statement-breakpoint
CREATE TABLE "kiosk_settings" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "check_in_points" ADD COLUMN "entitlement" text;--> statement-breakpoint
ALTER TABLE "attendee_info" ADD CONSTRAINT "attendee_info_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendee_info" ADD CONSTRAINT "attendee_info_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_alerts" ADD CONSTRAINT "kiosk_alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_alerts" ADD CONSTRAINT "kiosk_alerts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_settings" ADD CONSTRAINT "kiosk_settings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendee_info_seq_idx" ON "attendee_info" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "attendee_info_event_idx" ON "attendee_info" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "entitlements_seq_idx" ON "entitlements" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "entitlements_ticket_idx" ON "entitlements" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "entitlements_active_kind_idx" ON "entitlements" USING btree ("ticket_id","kind") WHERE "entitlements"."active";--> statement-breakpoint
CREATE INDEX "kiosk_alerts_seq_idx" ON "kiosk_alerts" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "kiosk_alerts_event_idx" ON "kiosk_alerts" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "kiosk_settings_seq_idx" ON "kiosk_settings" USING btree ("seq");