CREATE TABLE `knowledge_articles` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`url` text,
	`language` text NOT NULL,
	`tags` text NOT NULL,
	`content_hash` text NOT NULL,
	`embedded` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_articles_id_unique` ON `knowledge_articles` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_account_source_external` ON `knowledge_articles` (`account_id`,`source`,`external_id`);--> statement-breakpoint
CREATE INDEX `knowledge_account_updated` ON `knowledge_articles` (`account_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `knowledge_account_unembedded` ON `knowledge_articles` (`account_id`,`embedded`);--> statement-breakpoint
CREATE TABLE `knowledge_syncs` (
	`account_id` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`counts` text NOT NULL,
	`error` text,
	`finished_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `source`)
);
--> statement-breakpoint
-- The full-text index of knowledge_articles (one row per article, same rowid), written
-- together with it by worker/knowledge/store.ts. `scope` is the account as one token
-- (worker/knowledge/text.ts scopeToken): a search matches `scope:<token> AND (…)`, so it
-- reads only its own account's rows. `concepts`: the article's topics as tokens (text.ts
-- conceptTerms), which match a question in another language. Accents folded; prefix index
-- for five-letter stems.
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(`scope`, `title`, `body`, `tags`, `concepts`, tokenize = 'unicode61 remove_diacritics 2', prefix = '5');
