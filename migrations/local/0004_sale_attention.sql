ALTER TABLE `pending_sales` ADD `recovered_at` text;--> statement-breakpoint
ALTER TABLE `pending_sales` ADD `acknowledged_at` text;--> statement-breakpoint
ALTER TABLE `pending_sales` ADD `acknowledged_by` text;