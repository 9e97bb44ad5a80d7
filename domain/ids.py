"""Stable aggregate ids derived from the external ids of the org directory."""

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.rules import valid_text

DIRECTORY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:momentum:directory")


def person_uuid(person_id: str) -> UUID:
    """A token's `sub` is a person id; this is the id of that person's aggregate."""
    return uuid5(DIRECTORY_NAMESPACE, f"person:{valid_text(person_id, 'personId')}")


def team_uuid(team_id: str) -> UUID:
    return uuid5(DIRECTORY_NAMESPACE, f"team:{valid_text(team_id, 'teamId')}")
