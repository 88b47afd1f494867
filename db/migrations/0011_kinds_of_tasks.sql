CREATE TABLE `outputs` (
	`task_id` text PRIMARY KEY NOT NULL,
	`lyrics` text,
	`midi` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`task_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tracks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`track_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text,
	`tags` text,
	`prompt` text,
	`model_name` text,
	`duration` real,
	`create_time` text,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`task_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracks_task_track_unique` ON `tracks` (`task_id`,`track_id`);--> statement-breakpoint
CREATE INDEX `tracks_track_id_idx` ON `tracks` (`track_id`);--> statement-breakpoint
-- Files stored before kinds were told apart were covers (images) and WAV files (audio).
ALTER TABLE `assets` ADD `role` text NOT NULL DEFAULT 'cover';--> statement-breakpoint
UPDATE `assets` SET `role` = 'wav' WHERE `type` = 'audio';--> statement-breakpoint
ALTER TABLE `assets` ADD `track_id` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `stage` text;--> statement-breakpoint
CREATE INDEX `tasks_audio_id_idx` ON `tasks` (`audio_id`);