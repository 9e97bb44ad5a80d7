"""Pure domain model of Momentum: aggregates, events, rules; imports only eventsourcing.domain and the standard library."""
