-- khabar schema, version 2: which articles extraction has read, and with what; records
-- know the article they came from, so re-extracting an article replaces its records.

CREATE TABLE article_extractions (
    article_id    VARCHAR PRIMARY KEY,
    extractor     VARCHAR NOT NULL,        -- khabar version
    model         VARCHAR NOT NULL,        -- spaCy model name and version, or blank_en
    records       INTEGER NOT NULL,
    extracted_at  TIMESTAMP NOT NULL
);

ALTER TABLE records ADD COLUMN article_id VARCHAR;
