CREATE TABLE `gate_intents` (
	`checkin_id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`at` text NOT NULL,
	`point_id` text,
	`lane` text,
	`direction` text NOT NULL
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
CREATE INDEX `pending_sales_state_idx` ON `pending_sales` (`state`);