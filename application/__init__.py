"""Application layer: commands only, one module per context (get → call the aggregate → save),
composed into `momentum.Momentum`; imports domain, shared, contracts and eventsourcing (the event
store's adapters are chosen by bootstrap.py)."""
