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
ALTER TABLE "tickets" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "company" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "answers" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "imported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "import_job_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "import_digest" text;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_problems" ADD CONSTRAINT "import_problems_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_jobs_event_idx" ON "import_jobs" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_event_external_id_idx" ON "tickets" USING btree ("event_id","external_id") WHERE external_id is not null;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_channel" CHECK ("tickets"."channel" is null or "tickets"."channel" in ('box_office', 'kiosk', 'import', 'admin'));