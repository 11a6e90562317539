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