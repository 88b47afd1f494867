-- The trigram index merges its segments once 8 of one level wait (FTS5's
-- default is 4). Merging was a quarter of what indexing cost under a burst of
-- callbacks: indexed 64 at a time, a small body cost 59 µs with merges at 4
-- and 45 µs at 8, on a thread that shares the machine's cores with the one that
-- answers. A search then reads more segments: 0.1–0.4 ms more over 100,000
-- bodies.
INSERT INTO `deliveries_fts` (`deliveries_fts`, `rank`) VALUES ('automerge', 8);
