"""Who is acting: the subject and roles of a verified token."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: str
    roles: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles
