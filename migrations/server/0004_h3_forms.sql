CREATE TABLE "ticket_type_forms" (
	"ticket_type_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"fields" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('change_seq') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ticket_type_forms" ADD CONSTRAINT "ticket_type_forms_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_forms" ADD CONSTRAINT "ticket_type_forms_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_type_forms_seq_idx" ON "ticket_type_forms" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "ticket_type_forms_event_idx" ON "ticket_type_forms" USING btree ("event_id");