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
CREATE INDEX `payment_journal_order_idx` ON `payment_journal` (`order_id`);