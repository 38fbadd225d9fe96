-- khabar schema, version 3: one incident per real event. Extraction's per-article
-- incidents (records, kind 'incident') are the mentions; resolution links each to an
-- event, with the score and the reasons of the decision, and stores the reconciled event.

CREATE TABLE events (
    id          VARCHAR PRIMARY KEY,
    body        VARCHAR NOT NULL,          -- the reconciled Incident, JSON
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE incident_links (
    mention_id  VARCHAR PRIMARY KEY,       -- an extracted per-article incident
    event_id    VARCHAR NOT NULL,
    score       DOUBLE,
    reason      VARCHAR NOT NULL,
    decided_at  TIMESTAMP NOT NULL
);

-- An analyst's decisions: two mentions are the same event ('together') or not ('apart').
-- Mention ids derive from article and sentence, so decisions survive re-extraction.
CREATE TABLE resolution_overrides (
    a           VARCHAR NOT NULL,
    b           VARCHAR NOT NULL,
    relation    VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (a, b)
);
