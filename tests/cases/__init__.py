"""Abstract test cases, run on more than one event store by subclassing (a `momentum` fixture each)."""
