CREATE TABLE "leased_tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lease_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"code" text NOT NULL,
	"rotating_secret" text,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"state" text DEFAULT 'leased' NOT NULL,
	"order_id" uuid,
	CONSTRAINT "leased_tickets_state" CHECK ("leased_tickets"."state" in ('leased', 'sold', 'returned'))
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"size" integer NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reclaim_after" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "leases_state" CHECK ("leases"."state" in ('active', 'returned', 'reclaimed')),
	CONSTRAINT "leases_size" CHECK ("leases"."size" >= 0)
);
--> statement-breakpoint
ALTER TABLE "leased_tickets" ADD CONSTRAINT "leased_tickets_lease_id_leases_id_fk" FOREIGN KEY ("lease_id") REFERENCES "public"."leases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leased_tickets" ADD CONSTRAINT "leased_tickets_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leased_tickets" ADD CONSTRAINT "leased_tickets_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leases" ADD CONSTRAINT "leases_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leases" ADD CONSTRAINT "leases_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leases" ADD CONSTRAINT "leases_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leased_tickets_lease_idx" ON "leased_tickets" USING btree ("lease_id");--> statement-breakpoint
CREATE UNIQUE INDEX "leased_tickets_code_idx" ON "leased_tickets" USING btree ("code");--> statement-breakpoint
CREATE INDEX "leases_device_idx" ON "leases" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "leases_active_idx" ON "leases" USING btree ("reclaim_after") WHERE state = 'active';