CREATE TABLE `provider_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `provider_requests_ended_at_idx` ON `provider_requests` (`ended_at`);--> statement-breakpoint
CREATE TABLE `write_guard` (
	`never_null` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `assets` ADD `claim_token` text;