DROP INDEX `tasks_account_day`;--> statement-breakpoint
ALTER TABLE `tasks` ADD `language` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `first_response_at` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `edit_ratio_permille` integer;--> statement-breakpoint
CREATE INDEX `tasks_account_day_facets` ON `tasks` (`account_id`,`attempted_day`,`category`,`language`);