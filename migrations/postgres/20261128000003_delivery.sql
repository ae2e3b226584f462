-- Telnyx's message id for each sent code and the latest delivery status it reported.
-- delivery_rank orders statuses (queued < sending < sent < final) so a late or repeated
-- webhook never moves a code's status backwards.
ALTER TABLE codes ADD COLUMN message_id TEXT;
ALTER TABLE codes ADD COLUMN delivery_status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE codes ADD COLUMN delivery_rank INTEGER NOT NULL DEFAULT 0;
CREATE INDEX codes_message_id ON codes (message_id);
