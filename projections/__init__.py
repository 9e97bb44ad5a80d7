"""Read models, one folder per context (fold.py: pure event → state; tables.py: the read model's
declaration and tables; queries.py: what the API reads); imports contracts and shared only."""
