"""The payment-reminder voice agent: a livekit-agents worker that phones a customer about a
payment, talks with them, and reports the call through the backend's signed webhooks."""
