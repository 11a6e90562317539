CREATE TABLE `leased_tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`lease_id` text NOT NULL,
	`ticket_type_id` text NOT NULL,
	`code` text NOT NULL,
	`rotating_secret` text,
	`valid_from` text,
	`valid_to` text,
	`state` text DEFAULT 'free' NOT NULL,
	`order_id` text
);
--> statement-breakpoint
CREATE INDEX `leased_tickets_draw_idx` ON `leased_tickets` (`ticket_type_id`,`state`);--> statement-breakpoint
CREATE TABLE `leases` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`ticket_type_id` text NOT NULL,
	`size` integer NOT NULL,
	`ends_at` text,
	`state` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `offline_sales` (
	`order_id` text PRIMARY KEY NOT NULL,
	`request` text NOT NULL,
	`state` text NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`uploaded_at` text
);
--> statement-breakpoint
CREATE INDEX `offline_sales_state_idx` ON `offline_sales` (`state`,`created_at`);