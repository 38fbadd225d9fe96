-- khabar schema, version 6: what `khabar watch` must remember between rounds, so that a
-- restart neither re-alerts nor misses anything. Feeds keep their validators (ETag,
-- Last-Modified), the hash of the last body read and their backoff after errors; a
-- watchlist notes when it began (what the database held then is not alerted); an alert
-- mark holds the figures last alerted for a record, so a change fires one update; the
-- outbox holds every alert for every notifier until it is delivered.

CREATE TABLE watch_feeds (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    content_hash  VARCHAR,                -- SHA-256 of the last body ingested
    errors        INTEGER NOT NULL,       -- consecutive failures
    last_error    VARCHAR,
    polled_at     TIMESTAMP,
    changed_at    TIMESTAMP,
    next_poll     TIMESTAMP               -- not polled before this (backoff), NULL: now
);

CREATE TABLE watch_watchlists (
    name        VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL
);

CREATE TABLE watch_alerts (
    watchlist   VARCHAR NOT NULL,
    record_id   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,         -- incident | statement
    figures     VARCHAR NOT NULL,         -- JSON: what an update is judged on
    alerts      INTEGER NOT NULL,         -- alerts fired, 0: known when the watchlist began
    first_at    TIMESTAMP NOT NULL,
    last_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (watchlist, record_id)
);

CREATE TABLE watch_outbox (
    id            VARCHAR PRIMARY KEY,
    position      INTEGER NOT NULL,       -- delivery order
    notifier      VARCHAR NOT NULL,
    watchlist     VARCHAR NOT NULL,
    record_id     VARCHAR NOT NULL,
    body          VARCHAR NOT NULL,       -- the alert, JSON
    created_at    TIMESTAMP NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    VARCHAR,
    delivered_at  TIMESTAMP
);
