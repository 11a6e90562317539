CREATE TABLE `badge_prints` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`event_id` text NOT NULL,
	`device_id` text,
	`operator_id` text,
	`template_id` text,
	`printed_at` text NOT NULL,
	`reprint` integer NOT NULL,
	`reason` text,
	`approved_by` text,
	`own` integer DEFAULT false NOT NULL,
	`job_id` text,
	`seq` integer
);
--> statement-breakpoint
CREATE INDEX `badge_prints_ticket_idx` ON `badge_prints` (`ticket_id`,`printed_at`);--> statement-breakpoint
CREATE INDEX `badge_prints_event_idx` ON `badge_prints` (`event_id`);--> statement-breakpoint
CREATE TABLE `badge_requests` (
	`request_id` text PRIMARY KEY NOT NULL,
	`answer` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `badge_settings` (
	`event_id` text PRIMARY KEY NOT NULL,
	`reprint_window_s` integer NOT NULL,
	`reprint_needs_pin` integer NOT NULL,
	`print_checks_in` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `badge_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`ticket_type_ids` text NOT NULL,
	`categories` text NOT NULL,
	`is_default` integer NOT NULL,
	`template` text NOT NULL,
	`version` integer NOT NULL,
	`active` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `badge_templates_event_idx` ON `badge_templates` (`event_id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `name_norm` text;--> statement-breakpoint
CREATE INDEX `tickets_name_norm_idx` ON `tickets` (`name_norm`) WHERE name_norm is not null;--> statement-breakpoint
-- custom:badge
-- From this version the terminal asks for badge templates, badge settings and badge prints in the
-- change feed (OPTIONAL_CHANGE_KINDS), and keeps names folded for search in any script. Rows below its
-- cursor came without them: pull once more from the start (upserts, so the cached rows stay and are
-- refreshed, each ticket with its folded name).
UPDATE `meta` SET `value` = '0' WHERE `key` = 'last_seq';
