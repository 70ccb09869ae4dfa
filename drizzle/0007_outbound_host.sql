ALTER TABLE `connectors` ADD `api_credentials_host` text;--> statement-breakpoint
-- Credentials saved before this migration are bound to the host their base URL names now.
UPDATE `connectors` SET `api_credentials_host` = substr(
  replace(replace(`api_base_url`, 'https://', ''), 'http://', ''),
  1,
  CASE WHEN instr(replace(replace(`api_base_url`, 'https://', ''), 'http://', ''), '/') > 0
       THEN instr(replace(replace(`api_base_url`, 'https://', ''), 'http://', ''), '/') - 1
       ELSE length(`api_base_url`) END
) WHERE `api_base_url` IS NOT NULL AND `api_credentials` IS NOT NULL;
