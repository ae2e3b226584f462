-- The operator's record (the /admin dashboard): every code sent, per destination country,
-- with its delivery status, whether it was verified, and Telnyx's reported cost; and the
-- provider's recent refusals. No full number, no code. Kept eight days.
CREATE TABLE sends (
    code_id         BIGINT  PRIMARY KEY,      -- the code's id when it was sent
    message_id      TEXT,
    country         TEXT    NOT NULL,         -- ISO 3166 region
    sent_at         BIGINT  NOT NULL,         -- Unix milliseconds
    delivery_status TEXT    NOT NULL DEFAULT 'queued',
    delivery_rank   BIGINT  NOT NULL DEFAULT 0,
    verified_at     BIGINT,
    cost_micros     BIGINT,                  -- millionths of `currency`
    currency        TEXT
);
CREATE INDEX sends_sent_at ON sends (sent_at);
CREATE INDEX sends_message_id ON sends (message_id);

CREATE TABLE provider_failures (
    id     BIGSERIAL PRIMARY KEY,
    at     BIGINT  NOT NULL,
    status BIGINT  NOT NULL,                  -- HTTP status, 0 without one
    code   TEXT,                              -- Telnyx's error code
    reason TEXT    NOT NULL,
    phone  TEXT    NOT NULL                   -- masked: +1212***0123
);
CREATE INDEX provider_failures_at ON provider_failures (at);
