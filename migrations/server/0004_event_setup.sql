CREATE TABLE "admin_pin_failures" (
	"operator_id" uuid PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"operator_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "import_files" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"status" text NOT NULL,
	"file_name" text NOT NULL,
	"file_size" integer NOT NULL,
	"file_sha256" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"encoding_detected" boolean DEFAULT false NOT NULL,
	"delimiter" text,
	"sheet" text,
	"header" jsonb NOT NULL,
	"header_line" integer NOT NULL,
	"mapping" jsonb,
	"counts" jsonb NOT NULL,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_jobs_status" CHECK ("import_jobs"."status" in ('uploaded', 'mapped', 'checked', 'committing', 'done', 'failed')),
	CONSTRAINT "import_jobs_format" CHECK ("import_jobs"."format" in ('csv', 'xlsx'))
);
--> statement-breakpoint
CREATE TABLE "import_problems" (
	"job_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"line" integer NOT NULL,
	"column" integer,
	"column_title" text,
	"field" text,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"params" jsonb,
	CONSTRAINT "import_problems_job_id_ordinal_pk" PRIMARY KEY("job_id","ordinal")
);
--> statement-breakpoint
CREATE TABLE "point_staff" (
	"id" uuid PRIMARY KEY NOT NULL,
	"point_id" uuid NOT NULL,
	"operator_id" uuid,
	"device_id" uuid,
	CONSTRAINT "point_staff_one_of" CHECK (("point_staff"."operator_id" is null) <> ("point_staff"."device_id" is null))
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
CREATE TABLE "ticket_type_forms" (
	"ticket_type_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"fields" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "status" jsonb;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "assigned_point_id" uuid;--> statement-breakpoint
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
ALTER TABLE "tickets" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "company" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "answers" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "imported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "import_job_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "import_digest" text;--> statement-breakpoint
ALTER TABLE "admin_pin_failures" ADD CONSTRAINT "admin_pin_failures_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_sessions" ADD CONSTRAINT "event_sessions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_problems" ADD CONSTRAINT "import_problems_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_point_id_check_in_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."check_in_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ticket_types" ADD CONSTRAINT "quota_ticket_types_quota_id_quotas_id_fk" FOREIGN KEY ("quota_id") REFERENCES "public"."quotas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_ticket_types" ADD CONSTRAINT "quota_ticket_types_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotas" ADD CONSTRAINT "quotas_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_forms" ADD CONSTRAINT "ticket_type_forms_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_forms" ADD CONSTRAINT "ticket_type_forms_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_sessions_token_idx" ON "admin_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "admin_sessions_operator_idx" ON "admin_sessions" USING btree ("operator_id");--> statement-breakpoint
CREATE INDEX "event_sessions_seq_idx" ON "event_sessions" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "event_sessions_event_idx" ON "event_sessions" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "import_jobs_event_idx" ON "import_jobs" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "point_staff_point_idx" ON "point_staff" USING btree ("point_id");--> statement-breakpoint
CREATE UNIQUE INDEX "point_staff_operator_idx" ON "point_staff" USING btree ("point_id","operator_id") WHERE operator_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "point_staff_device_idx" ON "point_staff" USING btree ("point_id","device_id") WHERE device_id is not null;--> statement-breakpoint
CREATE INDEX "quota_ticket_types_type_idx" ON "quota_ticket_types" USING btree ("ticket_type_id");--> statement-breakpoint
CREATE INDEX "quotas_seq_idx" ON "quotas" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "quotas_event_idx" ON "quotas" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "ticket_type_forms_seq_idx" ON "ticket_type_forms" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "ticket_type_forms_event_idx" ON "ticket_type_forms" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_session_id_event_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_event_external_id_idx" ON "tickets" USING btree ("event_id","external_id") WHERE external_id is not null;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_sale_window" CHECK ("ticket_types"."sale_starts_at" is null or "ticket_types"."sale_ends_at" is null or "ticket_types"."sale_ends_at" > "ticket_types"."sale_starts_at");--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_max_per_order" CHECK ("ticket_types"."max_per_order" is null or "ticket_types"."max_per_order" > 0);--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_max_per_attendee" CHECK ("ticket_types"."max_per_attendee" is null or "ticket_types"."max_per_attendee" > 0);--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_channel" CHECK ("tickets"."channel" is null or "tickets"."channel" in ('box_office', 'kiosk', 'import', 'admin'));--> statement-breakpoint
-- custom:h2
CREATE TRIGGER "event_sessions_bump_change_seq" BEFORE UPDATE ON "event_sessions" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();--> statement-breakpoint
CREATE TRIGGER "quotas_bump_change_seq" BEFORE UPDATE ON "quotas" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
