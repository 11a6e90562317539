CREATE TABLE `attendee_info` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`items` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attendee_info_event_idx` ON `attendee_info` (`event_id`);--> statement-breakpoint
CREATE TABLE `entitlements` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text,
	`from_at` text,
	`to_at` text,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `entitlements_ticket_idx` ON `entitlements` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `entitlements_event_idx` ON `entitlements` (`event_id`);--> statement-breakpoint
CREATE TABLE `kiosk_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text,
	`event_id` text,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`ticket_id` text,
	`raised_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` text,
	`terminal` text,
	`own` integer DEFAULT false NOT NULL,
	`seq` integer
);
--> statement-breakpoint
CREATE INDEX `kiosk_alerts_open_idx` ON `kiosk_alerts` (`resolved_at`,`raised_at`);--> statement-breakpoint
CREATE TABLE `kiosk_settings` (
	`event_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `check_in_points` ADD `entitlement` text;--> statement-breakpoint
-- custom:kiosk
-- From this version the terminal asks for attendee information, entitlements, kiosk settings and kiosk
-- alerts in the change feed, and keeps each check-in point's entitlement. Rows below its cursor came
-- without them: pull once more from the start (upserts, so the cached rows stay and are refreshed).
UPDATE `meta` SET `value` = '0' WHERE `key` = 'last_seq';
