"""The goal read model: goals, key results and their history, folded from goal events."""
