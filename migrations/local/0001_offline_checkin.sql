CREATE TABLE `check_in_points` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`ticket_type_ids` text NOT NULL,
	`zone` text,
	`direction` text NOT NULL,
	`reentry` text NOT NULL,
	`windows` text NOT NULL,
	`auto_checkout_at` text,
	`active` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `event_keys` (
	`event_id` text NOT NULL,
	`key_id` integer NOT NULL,
	`public_key` text NOT NULL,
	`signing` integer NOT NULL,
	`retired` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`event_id`, `key_id`)
);
--> statement-breakpoint
CREATE TABLE `outbox_rejected` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`detail` text,
	`rejected_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revocations` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `checkins` ADD `point_id` text;--> statement-breakpoint
ALTER TABLE `checkins` ADD `direction` text DEFAULT 'entry' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `no` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `rotation_period_s` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `id_salt` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `scans` ADD `point_id` text;--> statement-breakpoint
ALTER TABLE `scans` ADD `checkin_id` text;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `no` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `zones` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `order_code` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `phone_last4` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `id_hash` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rotating_secret` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `valid_from` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `valid_to` text;--> statement-breakpoint
CREATE INDEX `tickets_order_code_idx` ON `tickets` (`order_code`) WHERE order_code is not null;--> statement-breakpoint
CREATE INDEX `tickets_phone_idx` ON `tickets` (`phone_last4`) WHERE phone_last4 is not null;--> statement-breakpoint
CREATE INDEX `tickets_id_hash_idx` ON `tickets` (`id_hash`) WHERE id_hash is not null;--> statement-breakpoint
CREATE INDEX `tickets_name_idx` ON `tickets` (lower(attendee_name)) WHERE attendee_name is not null;