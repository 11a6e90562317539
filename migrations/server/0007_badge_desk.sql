CREATE TABLE "badge_prints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"operator_id" uuid,
	"template_id" uuid,
	"printed_at" timestamp with time zone NOT NULL,
	"reprint" boolean NOT NULL,
	"reason" text,
	"approved_by" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_settings" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"reprint_window_s" integer NOT NULL,
	"reprint_needs_pin" boolean NOT NULL,
	"print_checks_in" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "badge_settings_reprint_window" CHECK ("badge_settings"."reprint_window_s" >= 0)
);
--> statement-breakpoint
CREATE TABLE "badge_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ticket_type_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"template" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "badge_templates_version" CHECK ("badge_templates"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "badge_prints" ADD CONSTRAINT "badge_prints_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_prints" ADD CONSTRAINT "badge_prints_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_prints" ADD CONSTRAINT "badge_prints_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_settings" ADD CONSTRAINT "badge_settings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_templates" ADD CONSTRAINT "badge_templates_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "badge_prints_seq_idx" ON "badge_prints" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "badge_prints_ticket_idx" ON "badge_prints" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "badge_prints_event_idx" ON "badge_prints" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "badge_settings_seq_idx" ON "badge_settings" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "badge_templates_seq_idx" ON "badge_templates" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "badge_templates_event_idx" ON "badge_templates" USING btree ("event_id");