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
CREATE INDEX `offline_sales_state_idx` ON `offline_sales` (`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `payment_journal` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`method` text NOT NULL,
	`action` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`authorization` text NOT NULL,
	`detail` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payment_journal_payment_idx` ON `payment_journal` (`payment_id`);--> statement-breakpoint
CREATE INDEX `payment_journal_order_idx` ON `payment_journal` (`order_id`);--> statement-breakpoint
CREATE TABLE `reprints` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`what` text NOT NULL,
	`ticket_id` text,
	`copy` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`operator_id` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reprints_order_idx` ON `reprints` (`order_id`,`what`,`ticket_id`);--> statement-breakpoint
CREATE TABLE `shift_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`shift_id` text NOT NULL,
	`kind` text NOT NULL,
	`method` text,
	`amount_minor` integer NOT NULL,
	`order_id` text,
	`reason` text,
	`operator_id` text,
	`at` text NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shift_movements_shift_idx` ON `shift_movements` (`shift_id`);--> statement-breakpoint
CREATE TABLE `shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`drawer` text DEFAULT 'main' NOT NULL,
	`currency` text NOT NULL,
	`float_minor` integer NOT NULL,
	`opened_at` text NOT NULL,
	`opened_by` text NOT NULL,
	`closed_at` text,
	`closed_by` text,
	`counted_minor` integer,
	`expected_minor` integer,
	`variance_minor` integer,
	`totals` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shifts_one_open_idx` ON `shifts` (`drawer`) WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX `shifts_opened_idx` ON `shifts` (`opened_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `shift_id` text;