-- The insights' roll-ups (tables of 0008) kept by the database itself: each
-- trigger takes out what the old row contributed and adds what the new one
-- does, in the same transaction as the write, whatever code made it. Then the
-- history already stored is rolled up once. Turnarounds are kept to 3
-- significant digits of their milliseconds (db/queries/insights.ts rounds the
-- same way).
CREATE TRIGGER insights_tasks_insert AFTER INSERT ON tasks
BEGIN
  INSERT INTO insights_outcomes (day, kind, status, source, code, n)
    SELECT new.completed_at / 86400000, new.kind, new.status, ifnull(new.last_source, ''), ifnull(new.code, -1), 1
    WHERE new.status IN ('succeeded', 'failed') AND new.completed_at IS NOT NULL
    ON CONFLICT (day, kind, status, source, code) DO UPDATE SET n = n + 1;
  INSERT INTO insights_turnarounds (day, kind, ms, n)
    SELECT new.completed_at / 86400000, new.kind, (select case when v < 1000 then v when v < 10000 then v / 10 * 10 when v < 100000 then v / 100 * 100 when v < 1000000 then v / 1000 * 1000 when v < 10000000 then v / 10000 * 10000 when v < 100000000 then v / 100000 * 100000 when v < 1000000000 then v / 1000000 * 1000000 when v < 10000000000 then v / 10000000 * 10000000 else v / 100000000 * 100000000 end from (select max(0, new.completed_at - new.created_at) as v)), 1
    WHERE new.status = 'succeeded' AND new.completed_at IS NOT NULL
    ON CONFLICT (day, kind, ms) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER insights_tasks_update AFTER UPDATE OF status, completed_at, kind, code, last_source, created_at ON tasks
WHEN old.status IS NOT new.status OR old.completed_at IS NOT new.completed_at OR old.kind IS NOT new.kind OR old.code IS NOT new.code OR old.last_source IS NOT new.last_source OR old.created_at IS NOT new.created_at
BEGIN
  UPDATE insights_outcomes SET n = n - 1
    WHERE old.status IN ('succeeded', 'failed') AND old.completed_at IS NOT NULL
      AND day = old.completed_at / 86400000 AND kind = old.kind AND status = old.status
      AND source = ifnull(old.last_source, '') AND code = ifnull(old.code, -1);
  UPDATE insights_turnarounds SET n = n - 1
    WHERE old.status = 'succeeded' AND old.completed_at IS NOT NULL
      AND day = old.completed_at / 86400000 AND kind = old.kind AND ms = (select case when v < 1000 then v when v < 10000 then v / 10 * 10 when v < 100000 then v / 100 * 100 when v < 1000000 then v / 1000 * 1000 when v < 10000000 then v / 10000 * 10000 when v < 100000000 then v / 100000 * 100000 when v < 1000000000 then v / 1000000 * 1000000 when v < 10000000000 then v / 10000000 * 10000000 else v / 100000000 * 100000000 end from (select max(0, old.completed_at - old.created_at) as v));
  INSERT INTO insights_outcomes (day, kind, status, source, code, n)
    SELECT new.completed_at / 86400000, new.kind, new.status, ifnull(new.last_source, ''), ifnull(new.code, -1), 1
    WHERE new.status IN ('succeeded', 'failed') AND new.completed_at IS NOT NULL
    ON CONFLICT (day, kind, status, source, code) DO UPDATE SET n = n + 1;
  INSERT INTO insights_turnarounds (day, kind, ms, n)
    SELECT new.completed_at / 86400000, new.kind, (select case when v < 1000 then v when v < 10000 then v / 10 * 10 when v < 100000 then v / 100 * 100 when v < 1000000 then v / 1000 * 1000 when v < 10000000 then v / 10000 * 10000 when v < 100000000 then v / 100000 * 100000 when v < 1000000000 then v / 1000000 * 1000000 when v < 10000000000 then v / 10000000 * 10000000 else v / 100000000 * 100000000 end from (select max(0, new.completed_at - new.created_at) as v)), 1
    WHERE new.status = 'succeeded' AND new.completed_at IS NOT NULL
    ON CONFLICT (day, kind, ms) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER insights_tasks_delete AFTER DELETE ON tasks
BEGIN
  UPDATE insights_outcomes SET n = n - 1
    WHERE old.status IN ('succeeded', 'failed') AND old.completed_at IS NOT NULL
      AND day = old.completed_at / 86400000 AND kind = old.kind AND status = old.status
      AND source = ifnull(old.last_source, '') AND code = ifnull(old.code, -1);
  UPDATE insights_turnarounds SET n = n - 1
    WHERE old.status = 'succeeded' AND old.completed_at IS NOT NULL
      AND day = old.completed_at / 86400000 AND kind = old.kind AND ms = (select case when v < 1000 then v when v < 10000 then v / 10 * 10 when v < 100000 then v / 100 * 100 when v < 1000000 then v / 1000 * 1000 when v < 10000000 then v / 10000 * 10000 when v < 100000000 then v / 100000 * 100000 when v < 1000000000 then v / 1000000 * 1000000 when v < 10000000000 then v / 10000000 * 10000000 else v / 100000000 * 100000000 end from (select max(0, old.completed_at - old.created_at) as v));
END;
--> statement-breakpoint
CREATE TRIGGER insights_deliveries_insert AFTER INSERT ON deliveries
BEGIN
  INSERT INTO insights_deliveries (hour, n) VALUES (new.received_at / 3600000, 1)
    ON CONFLICT (hour) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER insights_deliveries_delete AFTER DELETE ON deliveries
BEGIN
  UPDATE insights_deliveries SET n = n - 1 WHERE hour = old.received_at / 3600000;
END;
--> statement-breakpoint
CREATE TRIGGER insights_assets_insert AFTER INSERT ON assets
BEGIN
  INSERT INTO insights_stored_bytes (day, bytes)
    SELECT new.stored_at / 86400000, ifnull(new.bytes, 0)
    WHERE new.status IN ('stored', 'removed') AND new.stored_at IS NOT NULL
    ON CONFLICT (day) DO UPDATE SET bytes = bytes + excluded.bytes;
END;
--> statement-breakpoint
CREATE TRIGGER insights_assets_update AFTER UPDATE OF status, stored_at, bytes ON assets
WHEN old.status IS NOT new.status OR old.stored_at IS NOT new.stored_at OR old.bytes IS NOT new.bytes
BEGIN
  UPDATE insights_stored_bytes SET bytes = bytes - ifnull(old.bytes, 0)
    WHERE old.status IN ('stored', 'removed') AND old.stored_at IS NOT NULL AND day = old.stored_at / 86400000;
  INSERT INTO insights_stored_bytes (day, bytes)
    SELECT new.stored_at / 86400000, ifnull(new.bytes, 0)
    WHERE new.status IN ('stored', 'removed') AND new.stored_at IS NOT NULL
    ON CONFLICT (day) DO UPDATE SET bytes = bytes + excluded.bytes;
END;
--> statement-breakpoint
CREATE TRIGGER insights_assets_delete AFTER DELETE ON assets
BEGIN
  UPDATE insights_stored_bytes SET bytes = bytes - ifnull(old.bytes, 0)
    WHERE old.status IN ('stored', 'removed') AND old.stored_at IS NOT NULL AND day = old.stored_at / 86400000;
END;
--> statement-breakpoint
INSERT INTO insights_outcomes (day, kind, status, source, code, n)
  SELECT completed_at / 86400000, kind, status, ifnull(last_source, ''), ifnull(code, -1), count(*) FROM tasks
  WHERE status IN ('succeeded', 'failed') AND completed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO insights_turnarounds (day, kind, ms, n)
  SELECT completed_at / 86400000, kind, (select case when v < 1000 then v when v < 10000 then v / 10 * 10 when v < 100000 then v / 100 * 100 when v < 1000000 then v / 1000 * 1000 when v < 10000000 then v / 10000 * 10000 when v < 100000000 then v / 100000 * 100000 when v < 1000000000 then v / 1000000 * 1000000 when v < 10000000000 then v / 10000000 * 10000000 else v / 100000000 * 100000000 end from (select max(0, completed_at - created_at) as v)), count(*) FROM tasks
  WHERE status = 'succeeded' AND completed_at IS NOT NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO insights_deliveries (hour, n) SELECT received_at / 3600000, count(*) FROM deliveries GROUP BY 1;
--> statement-breakpoint
INSERT INTO insights_stored_bytes (day, bytes)
  SELECT stored_at / 86400000, sum(ifnull(bytes, 0)) FROM assets
  WHERE status IN ('stored', 'removed') AND stored_at IS NOT NULL GROUP BY 1;
