"""Twilio voice and SMS webhooks: residents call and text the hotline."""
