"""Long-running processes around Kafka: the relay (event store → topic), the projector (topic →
read models), rebuild, erasure and the awarder; imports application, projections and contracts."""
