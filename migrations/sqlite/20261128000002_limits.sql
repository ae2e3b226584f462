-- Rate-limit counters (fixed windows) and per-key cooldowns, shared by every instance.
CREATE TABLE limit_counters (
    key          TEXT    NOT NULL,
    window_start INTEGER NOT NULL,        -- Unix milliseconds
    count        INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,        -- window end: the row is purged after it
    PRIMARY KEY (key, window_start)
);
CREATE INDEX limit_counters_expires_at ON limit_counters (expires_at);

CREATE TABLE cooldowns (
    key   TEXT    PRIMARY KEY,
    until INTEGER NOT NULL
);
