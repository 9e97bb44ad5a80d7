"""Long-running processes around Kafka: the relay (event store → topic) and the projector (topic → read models)."""
