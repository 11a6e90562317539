CREATE TABLE "event_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"name" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "event_sessions_times" CHECK ("event_sessions"."ends_at" >= "event_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "quota_ticket_types" (
	"quota_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	CONSTRAINT "quota_ticket_types_quota_id_ticket_type_id_pk" PRIMARY KEY("quota_id","ticket_type_id")
);
--> statement-breakpoint
CREATE TABLE "quotas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"name" jsonb NOT NULL,
	"capacity" integer NOT NULL,
	"sold" integer DEFAULT 0 NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL,
	CONSTRAINT "quotas_sold_within_capacity" CHECK ("quotas"."sold" >= 0 and "quotas"."sold" <= "quotas"."capacity")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "venue" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "languages" jsonb DEFAULT '["en"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "default_language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "sale_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "sale_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "max_per_order" integer;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "max_per_attendee" integer;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "channels" jsonb DEFAULT '["box_office","kiosk","import"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "real_name" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "required_fields" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD CONSTRAINT "event_sessions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ticket_types" ADD CONSTRAINT "quota_ticket_types_quota_id_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."quotas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ticket_types" ADD CONSTRAINT "quota_ticket_types_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotas" ADD CONSTRAINT "quotas_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_sessions_seq_idx" ON "event_sessions" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "event_sessions_event_idx" ON "event_sessions" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "quota_ticket_types_type_idx" ON "quota_ticket_types" USING btree ("ticket_type_id");--> statement-breakpoint
CREATE INDEX "quotas_seq_idx" ON "quotas" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "quotas_event_idx" ON "quotas" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_session_id_event_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_sale_window" CHECK ("ticket_types"."sale_starts_at" is null or "ticket_types"."sale_ends_at" is null or "ticket_types"."sale_ends_at" > "ticket_types"."sale_starts_at");--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_max_per_order" CHECK ("ticket_types"."max_per_order" is null or "ticket_types"."max_per_order" > 0);--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_max_per_attendee" CHECK ("ticket_types"."max_per_attendee" is null or "ticket_types"."max_per_attendee" > 0);--> statement-breakpoint
-- custom:h2
CREATE TRIGGER "event_sessions_bump_change_seq" BEFORE UPDATE ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();--> statement-breakpoint
CREATE TRIGGER "quotas_bump_change_seq" BEFORE UPDATE ON "quotas" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
