-- khabar schema, version 4: an analyst's corrections of a resolved incident's fields.
-- A correction names the event it was made on and that event's first mention (its
-- anchor), so it finds the event again after a rebuild renames it. Applied by
-- resolution, in the order made, after the sources are reconciled.

CREATE TABLE corrections (
    id          VARCHAR PRIMARY KEY,
    event_id    VARCHAR NOT NULL,
    anchor      VARCHAR NOT NULL,          -- a mention id of the event
    field       VARCHAR NOT NULL,
    value       VARCHAR NOT NULL,          -- the new value, JSON
    note        VARCHAR,
    author      VARCHAR,
    evidence    VARCHAR,                   -- an Evidence the analyst cited, JSON, or NULL
    created_at  TIMESTAMP NOT NULL
);
