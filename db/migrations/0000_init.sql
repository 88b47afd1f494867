CREATE TABLE `assets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`type` text NOT NULL,
	`position` integer NOT NULL,
	`remote_url` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`bytes` integer,
	`bytes_received` integer DEFAULT 0 NOT NULL,
	`content_type` text,
	`sha256` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`storage_path` text,
	`next_attempt_at` integer,
	`lease_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`stored_at` integer,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`task_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assets_task_position_unique` ON `assets` (`task_id`,`position`);--> statement-breakpoint
CREATE INDEX `assets_status_next_attempt_idx` ON `assets` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` integer NOT NULL,
	`kind` text,
	`task_id` text,
	`verdict` text NOT NULL,
	`error` text,
	`body` text NOT NULL,
	`headers` text NOT NULL,
	`remote_address` text,
	`path` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_task_id_idx` ON `deliveries` (`task_id`);--> statement-breakpoint
CREATE INDEX `deliveries_verdict_id_idx` ON `deliveries` (`verdict`,`id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`task_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_task_id_idx` ON `events` (`task_id`,`id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`code` integer,
	`message` text,
	`parent_task_id` text,
	`audio_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`completed_at` integer,
	`last_source` text,
	`delivery_count` integer DEFAULT 0 NOT NULL,
	`last_callback_at` integer,
	`remote_created_at` integer,
	`files_expire_at` integer,
	`poll_count` integer DEFAULT 0 NOT NULL,
	`last_polled_at` integer,
	`next_poll_at` integer,
	`poll_lease_until` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_task_id_unique` ON `tasks` (`task_id`);--> statement-breakpoint
CREATE INDEX `tasks_status_id_idx` ON `tasks` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_kind_status_id_idx` ON `tasks` (`kind`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_parent_task_id_idx` ON `tasks` (`parent_task_id`);--> statement-breakpoint
CREATE INDEX `tasks_next_poll_at_idx` ON `tasks` (`next_poll_at`);