"""The public stream contract: the envelope, event schemas, AsyncAPI, upcasters, the event catalog and
which fields are private. Pure; may import domain/ (the event classes it documents) and nothing else of ours."""
