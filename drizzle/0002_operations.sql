CREATE TABLE `account_settings` (
	`account_id` text PRIMARY KEY NOT NULL,
	`kill_switch` integer DEFAULT false NOT NULL,
	`rollout_percent` integer DEFAULT 100 NOT NULL,
	`tickets_per_minute` integer DEFAULT 120 NOT NULL,
	`decisions_per_minute` integer DEFAULT 30 NOT NULL,
	`max_in_flight` integer DEFAULT 50 NOT NULL,
	`frozen` integer DEFAULT false NOT NULL,
	`policy` text DEFAULT '{}' NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`task_id` text NOT NULL,
	`queue` text NOT NULL,
	`note` text NOT NULL,
	`status` text DEFAULT 'filed' NOT NULL,
	`artifact` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`voided_at` text
);
--> statement-breakpoint
CREATE TABLE `system_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
ALTER TABLE `tasks` ADD `due_at` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `risk` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `automatic` integer DEFAULT false NOT NULL;