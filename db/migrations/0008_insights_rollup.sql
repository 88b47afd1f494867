CREATE TABLE `insights_deliveries` (
	`hour` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `insights_outcomes` (
	`day` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`code` integer NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insights_outcomes_unique` ON `insights_outcomes` (`day`,`kind`,`status`,`source`,`code`);--> statement-breakpoint
CREATE TABLE `insights_stored_bytes` (
	`day` integer PRIMARY KEY NOT NULL,
	`bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `insights_turnarounds` (
	`day` integer NOT NULL,
	`kind` text NOT NULL,
	`ms` integer NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insights_turnarounds_unique` ON `insights_turnarounds` (`day`,`kind`,`ms`);