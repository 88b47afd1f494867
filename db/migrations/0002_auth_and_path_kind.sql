CREATE TABLE `login_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_start` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`password_tag` text NOT NULL,
	`user_agent` text,
	`remote_address` text
);
--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `path_kind` text;--> statement-breakpoint
UPDATE `deliveries` SET `path_kind` = CASE
	WHEN `path` = '/api/callbacks/cover' OR `path` LIKE '/api/callbacks/cover?%' OR `path` LIKE '/api/callbacks/cover/%' THEN 'cover'
	WHEN `path` = '/api/callbacks/wav' OR `path` LIKE '/api/callbacks/wav?%' OR `path` LIKE '/api/callbacks/wav/%' THEN 'wav'
END;
