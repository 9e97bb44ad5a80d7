"""Read models: pure event → state functions and the PostgreSQL tables they fill; imports no other project package."""
