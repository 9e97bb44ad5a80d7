"""The directory read models: people, teams and cycles, one row per aggregate."""
