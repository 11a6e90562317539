CREATE TABLE "shift_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"report" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"currency" text NOT NULL,
	"float_minor" bigint NOT NULL,
	"expected_cash_minor" bigint NOT NULL,
	"counted_minor" bigint,
	"variance_minor" bigint,
	"totals" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shift_reports" ADD CONSTRAINT "shift_reports_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shift_reports_shift_idx" ON "shift_reports" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "shift_reports_device_idx" ON "shift_reports" USING btree ("device_id","at");