CREATE TABLE `connectors` (
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`signing_secret` text,
	`signing_secret_fp` text,
	`previous_secret` text,
	`previous_secret_fp` text,
	`previous_valid_until` text,
	`api_base_url` text,
	`api_credentials` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`account_id`, `source`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `outbound_calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`task_id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`remote_id` text,
	`error` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_calls_task_kind` ON `outbound_calls` (`task_id`,`kind`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`delivery_id` text,
	`status` integer NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`task_id` text,
	`received_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_account_source` ON `webhook_deliveries` (`account_id`,`source`,`id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `conversation_id` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `refs` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` DROP COLUMN `webhook_secret`;