ALTER TABLE `assets` ADD `thumbnail_path` text;--> statement-breakpoint
ALTER TABLE `assets` ADD `waveform` text;--> statement-breakpoint
ALTER TABLE `assets` ADD `removed_at` integer;--> statement-breakpoint
ALTER TABLE `assets` ADD `removed_reason` text;--> statement-breakpoint
CREATE INDEX `assets_status_stored_at_idx` ON `assets` (`status`,`stored_at`);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `pruned_at` integer;