CREATE TABLE `people_cache` (
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`person_id` text NOT NULL,
	`email` text,
	`name` text,
	`fetched_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `source`, `kind`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `people_cache_expires` ON `people_cache` (`expires_at`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `attachments` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `requester_lookup` text;