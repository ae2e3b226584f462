-- How each code was sent: 'sms', or 'voice' (read out by a Telnyx call, whose
-- call_control_id is then its message_id and whose call state its delivery_status).
ALTER TABLE codes ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms';
