CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"order_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"device_id" uuid,
	"ticket_ids" jsonb NOT NULL,
	"new_ticket_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"amount_minor" integer NOT NULL,
	"fee_minor" integer NOT NULL,
	"charged_minor" integer DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"payment_method" text NOT NULL,
	"reason" text NOT NULL,
	"operator_id" uuid NOT NULL,
	"approved_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refunds_kind" CHECK ("refunds"."kind" in ('refund', 'exchange')),
	CONSTRAINT "refunds_amounts" CHECK ("refunds"."amount_minor" >= 0 and "refunds"."fee_minor" >= 0 and "refunds"."charged_minor" >= 0),
	CONSTRAINT "refunds_payment_method" CHECK ("refunds"."payment_method" in ('cash', 'card'))
);
--> statement-breakpoint
ALTER TABLE "ticket_types" ADD COLUMN "refund_policy" jsonb;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("order_id");