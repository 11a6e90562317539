ALTER TABLE `check_in_points` ADD `operator_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `check_in_points` ADD `device_ids` text DEFAULT '[]' NOT NULL;