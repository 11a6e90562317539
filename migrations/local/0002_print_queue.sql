CREATE TABLE `print_queue` (
	`job_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`error_code` text,
	`maybe_printed` integer DEFAULT false NOT NULL,
	`reprints` integer DEFAULT 0 NOT NULL,
	`started_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `print_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `print_queue_seq_idx` ON `print_queue` (`seq`);--> statement-breakpoint
CREATE INDEX `print_queue_state_idx` ON `print_queue` (`state`,`seq`);