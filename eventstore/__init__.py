"""The PostgreSQL adapters of the event store: the chained recorder, data keys, the sealing mapper, the
immutability trigger and the hash chain. May import contracts/, domain/ and shared/; only bootstrap.py builds them."""
