"""Pure domain model: aggregates, events, rules; imports only eventsourcing.domain and stdlib."""
