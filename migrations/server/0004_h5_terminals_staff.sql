CREATE TABLE "point_staff" (
	"id" uuid PRIMARY KEY NOT NULL,
	"point_id" uuid NOT NULL,
	"operator_id" uuid,
	"device_id" uuid,
	CONSTRAINT "point_staff_one_of" CHECK (("point_staff"."operator_id" is null) <> ("point_staff"."device_id" is null))
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "status" jsonb;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "assigned_point_id" uuid;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_point_id_check_in_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."check_in_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_staff" ADD CONSTRAINT "point_staff_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "point_staff_point_idx" ON "point_staff" USING btree ("point_id");--> statement-breakpoint
CREATE UNIQUE INDEX "point_staff_operator_idx" ON "point_staff" USING btree ("point_id","operator_id") WHERE operator_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "point_staff_device_idx" ON "point_staff" USING btree ("point_id","device_id") WHERE device_id is not null;