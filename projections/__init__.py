"""Read models: pure event → state folds and the PostgreSQL tables they fill; no project imports."""
