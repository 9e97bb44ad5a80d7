"""Stable aggregate ids derived from the external ids of the org directory."""

from uuid import NAMESPACE_URL, UUID, uuid5

DIRECTORY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:directory")


def person_uuid(person_id: str) -> UUID:
    """A token's `sub` is a person id; this is the id of that person's aggregate."""
    return uuid5(DIRECTORY_NAMESPACE, f"person:{person_id}")


def team_uuid(team_id: str) -> UUID:
    return uuid5(DIRECTORY_NAMESPACE, f"team:{team_id}")
