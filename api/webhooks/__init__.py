"""Webhooks: outbox events turned into signed deliveries, retried for a day, then dead-lettered."""
