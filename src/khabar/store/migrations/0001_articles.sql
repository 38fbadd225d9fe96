-- khabar schema, version 1: articles, where each was read from, runs, exported records.
-- Portable SQL: the PostgreSQL backend applies the same files. JSON is kept as text.

CREATE TABLE articles (
    id              VARCHAR PRIMARY KEY,   -- fingerprint of the normalised text
    title           VARCHAR,
    outlet          VARCHAR,
    url             VARCHAR,
    published       DATE,
    published_from  VARCHAR,               -- 'metadata' | 'text' | NULL
    dateline        VARCHAR,
    language        VARCHAR,
    file            VARCHAR,               -- of the first source it was read from
    part            INTEGER,
    locator         VARCHAR,
    encoding        VARCHAR,
    n_chars         INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    first_seen      TIMESTAMP NOT NULL
);

CREATE TABLE article_sources (
    article_id  VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL,          -- file#part, feed#guid, dump.jsonl:17, URL
    file        VARCHAR,
    part        INTEGER,
    url         VARCHAR,
    outlet      VARCHAR,
    title       VARCHAR,
    published   DATE,
    first_seen  TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, locator)
);

CREATE TABLE runs (
    id           VARCHAR PRIMARY KEY,
    command      VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    meta         VARCHAR                   -- JSON: versions, options, counts
);

-- Incidents, statements and arrests as exported (records.py), one JSON document each.
CREATE TABLE records (
    id          VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    body        VARCHAR NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
