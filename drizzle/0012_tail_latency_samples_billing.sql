CREATE TABLE `billing_sources` (
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`secret` text,
	`secret_fp` text,
	`url` text,
	`mapping` text,
	`webhook_secret` text,
	`webhook_secret_fp` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`account_id`, `kind`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `draft_samples` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`task_id` text NOT NULL,
	`round` integer NOT NULL,
	`model` text NOT NULL,
	`input` text NOT NULL,
	`output` text NOT NULL,
	`redactions` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `draft_samples_account_created` ON `draft_samples` (`account_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `draft_samples_expires` ON `draft_samples` (`expires_at`);--> statement-breakpoint
CREATE TABLE `tool_latency` (
	`account_id` text NOT NULL,
	`hour` text NOT NULL,
	`tool` text NOT NULL,
	`bucket` integer NOT NULL,
	`calls` integer NOT NULL,
	`errors` integer NOT NULL,
	PRIMARY KEY(`account_id`, `hour`, `tool`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `tool_invocations_account_duration` ON `tool_invocations` (`account_id`,`duration_ms`);