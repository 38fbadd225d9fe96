-- khabar schema, version 7: a counter every write transaction raises, so that a reader
-- in another process (khabar serve's cache) learns cheaply that the database changed.

CREATE TABLE store_changes (
    id  INTEGER PRIMARY KEY,
    n   BIGINT NOT NULL
);

INSERT INTO store_changes VALUES (1, 0);
