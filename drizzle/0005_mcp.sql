CREATE TABLE `proposed_replies` (
	`task_id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`in_reply_to` text NOT NULL,
	`body` text NOT NULL,
	`confidence_pct` integer NOT NULL,
	`proposed_by` text NOT NULL,
	`client_id` text NOT NULL,
	`client_name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `tool_invocations` ADD `actor` text;--> statement-breakpoint
ALTER TABLE `tool_invocations` ADD `client` text;