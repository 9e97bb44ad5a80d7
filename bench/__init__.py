"""Benchmarks on the real services, each against a raw baseline measured in the same run; imports anything."""
