-- A callback no longer indexes its own body in its commit: the trigram index
-- took most of a callback's SQLite work (60 µs for a small body, 250 µs for a
-- 1.7 KB one). db/search-index.ts indexes the deliveries that came after
-- `indexed_through` off the callback's path, and a search scans those not
-- indexed yet. The delete and update triggers now touch only rows the index
-- holds: FTS5's 'delete' of a row it never held corrupts it.
CREATE TABLE `search_index` (
	`id` integer PRIMARY KEY NOT NULL,
	`indexed_through` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `search_index` (`id`, `indexed_through`) SELECT 1, ifnull(max(`id`), 0) FROM `deliveries`;--> statement-breakpoint
DROP TRIGGER `deliveries_fts_insert`;--> statement-breakpoint
DROP TRIGGER `deliveries_fts_delete`;--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_delete` AFTER DELETE ON `deliveries`
WHEN old.`id` <= (SELECT `indexed_through` FROM `search_index`) BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
END;--> statement-breakpoint
DROP TRIGGER `deliveries_fts_update`;--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_update` AFTER UPDATE OF `body` ON `deliveries`
WHEN old.`id` <= (SELECT `indexed_through` FROM `search_index`) BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
  INSERT INTO `deliveries_fts`(`rowid`, `body`) VALUES (new.`id`, new.`body`);
END;
