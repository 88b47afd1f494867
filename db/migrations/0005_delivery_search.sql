-- Substring search over raw delivery bodies: an FTS5 index with the trigram
-- tokenizer (any 3+ character substring, e.g. part of a task id, is an index
-- lookup), kept in step with `deliveries` by triggers. External content: the
-- index stores no second copy of the bodies. Written by hand (drizzle-kit
-- does not model virtual tables or triggers).
CREATE VIRTUAL TABLE `deliveries_fts` USING fts5(`body`, content='deliveries', content_rowid='id', tokenize='trigram');--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_insert` AFTER INSERT ON `deliveries` BEGIN
  INSERT INTO `deliveries_fts`(`rowid`, `body`) VALUES (new.`id`, new.`body`);
END;--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_delete` AFTER DELETE ON `deliveries` BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
END;--> statement-breakpoint
CREATE TRIGGER `deliveries_fts_update` AFTER UPDATE OF `body` ON `deliveries` BEGIN
  INSERT INTO `deliveries_fts`(`deliveries_fts`, `rowid`, `body`) VALUES ('delete', old.`id`, old.`body`);
  INSERT INTO `deliveries_fts`(`rowid`, `body`) VALUES (new.`id`, new.`body`);
END;--> statement-breakpoint
INSERT INTO `deliveries_fts`(`deliveries_fts`) VALUES ('rebuild');--> statement-breakpoint
-- DELIVERY_RETENTION_DAYS takes the oldest unpruned deliveries in batches: this
-- partial index holds only those, so a batch never rescans pruned rows.
CREATE INDEX `deliveries_unpruned_received_at_idx` ON `deliveries` (`received_at`) WHERE `pruned_at` IS NULL;
