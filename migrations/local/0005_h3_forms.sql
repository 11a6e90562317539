CREATE TABLE `ticket_type_forms` (
	`ticket_type_id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`fields` text NOT NULL,
	`version` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_type_forms_event_idx` ON `ticket_type_forms` (`event_id`);