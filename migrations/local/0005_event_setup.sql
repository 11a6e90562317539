CREATE TABLE `event_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`sort` integer NOT NULL,
	`active` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quotas` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`capacity` integer NOT NULL,
	`sold` integer NOT NULL,
	`ticket_type_ids` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_type_forms` (
	`ticket_type_id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`fields` text NOT NULL,
	`version` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_type_forms_event_idx` ON `ticket_type_forms` (`event_id`);--> statement-breakpoint
ALTER TABLE `check_in_points` ADD `operator_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `check_in_points` ADD `device_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `venue` text;--> statement-breakpoint
ALTER TABLE `events` ADD `address` text;--> statement-breakpoint
ALTER TABLE `events` ADD `languages` text DEFAULT '["en"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `default_language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `session_id` text;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `sale_starts_at` text;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `sale_ends_at` text;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `max_per_order` integer;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `max_per_attendee` integer;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `channels` text DEFAULT '["box_office","kiosk","import"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `real_name` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `required_fields` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `active` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `sort_order` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- custom:h2
-- From this version the terminal asks for sessions, quotas and registration forms in the change feed
-- (OPTIONAL_CHANGE_KINDS), and check-in points carry who may serve them. Rows below its cursor came
-- without them: pull once more from the start (upserts, so the cached rows stay and are refreshed).
UPDATE `meta` SET `value` = '0' WHERE `key` = 'last_seq';
