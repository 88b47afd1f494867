-- The trigram index of raw bodies, made again, lighter to keep up to date:
-- - detail=none: it records which 3-character pieces each body holds, not
--   where. A search finds the bodies holding every piece of its text, then
--   checks each one with LIKE (db/queries/deliveries.ts). A 1.7 KB music
--   callback costs 64 µs to index instead of 129, and the index takes a
--   quarter of the room.
-- - Merges once 8 segments of one level wait (FTS5's default is 4): fewer
--   merges while a burst is indexed (measured with positions still kept: a
--   small body indexed 64 at a time, 45 µs instead of 59).
-- Indexing runs on a thread that shares the machine's cores with the one that
-- answers callbacks, and holds SQLite's write lock meanwhile. The new index is
-- filled here, as migration 0005 filled the first (about 80 µs a music
-- callback: 8 s for 100,000): left to the indexer, a large inbox on Vercel,
-- ticked once a day, would be scanned by every search for days.
DROP TRIGGER `deliveries_fts_delete`;--> statement-breakpoint
DROP TRIGGER `deliveries_fts_update`;--> statement-breakpoint
DROP TABLE `deliveries_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `deliveries_fts` USING fts5(`body`, content='deliveries', content_rowid='id', tokenize='trigram', detail='none');--> statement-breakpoint
INSERT INTO `deliveries_fts` (`deliveries_fts`, `rank`) VALUES ('automerge', 8);--> statement-breakpoint
INSERT INTO `deliveries_fts` (`deliveries_fts`) VALUES ('rebuild');--> statement-breakpoint
UPDATE `search_index` SET `indexed_through` = (SELECT ifnull(max(`id`), 0) FROM `deliveries`);--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_delete` AFTER DELETE ON `deliveries`
WHEN old.`id` <= (SELECT `indexed_through` FROM `search_index`) BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
END;--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_update` AFTER UPDATE OF `body` ON `deliveries`
WHEN old.`id` <= (SELECT `indexed_through` FROM `search_index`) BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
  INSERT INTO `deliveries_fts`(`rowid`, `body`) VALUES (new.`id`, new.`body`);
END;
