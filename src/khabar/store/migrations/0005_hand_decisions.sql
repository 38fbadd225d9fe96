-- khabar schema, version 5: an analyst's merges and splits as decisions that can be
-- listed and taken back. Each decision stores its pairs of mentions in
-- resolution_overrides under its id; reverting it deletes them and resolution runs again.
-- Overrides stored before this version have no decision id; they are listed grouped by
-- the moment they were made.

CREATE TABLE hand_decisions (
    id          VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,          -- 'merge' | 'split'
    event_id    VARCHAR NOT NULL,          -- the incident it was made on (A of a merge)
    other       VARCHAR,                   -- B of a merge, the article split off
    created_at  TIMESTAMP NOT NULL
);

ALTER TABLE resolution_overrides ADD COLUMN decision_id VARCHAR;
