"""Application layer: commands as get → call the aggregate → save; imports domain, eventsourcing."""
