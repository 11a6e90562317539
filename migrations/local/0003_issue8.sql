CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`at` text NOT NULL,
	`device_id` text,
	`operator_id` text,
	`action` text NOT NULL,
	`subject` text,
	`detail` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_id_unique` ON `audit_log` (`id`);--> statement-breakpoint
CREATE TABLE `gate_intents` (
	`checkin_id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`at` text NOT NULL,
	`point_id` text,
	`lane` text,
	`direction` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `login_lockouts` (
	`operator_id` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`last_failure_at` integer NOT NULL,
	`locked_until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pending_sales` (
	`order_id` text PRIMARY KEY NOT NULL,
	`request` text NOT NULL,
	`tendered_minor` integer NOT NULL,
	`change_minor` integer NOT NULL,
	`operator_id` text NOT NULL,
	`state` text NOT NULL,
	`order` text,
	`print` text,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_sales_state_idx` ON `pending_sales` (`state`);--> statement-breakpoint
-- custom:audit
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
