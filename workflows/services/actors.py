"""Who acts: a user with roles and territories, or the system (timers, messages)."""
from dataclasses import dataclass, field

from ..roles import role_label


@dataclass(frozen=True)
class Actor:
    username: str
    roles: frozenset = field(default_factory=frozenset)
    territories: frozenset = field(default_factory=frozenset)
    display_name: str = ""

    @property
    def is_admin(self):
        return "admin" in self.roles

    def may_act_in(self, role):
        """A task outside any lane is open to every user; a lane is its role's."""
        return role is None or role in self.roles or self.is_admin

    def sees_territory(self, territory):
        return territory is None or self.is_admin or territory in self.territories

    def main_role(self, preferred=None):
        if preferred and preferred in self.roles:
            return preferred
        return sorted(self.roles)[0] if self.roles else None

    def describe_role(self, role):
        return role_label(role) if role else "aucun rôle"


SYSTEM = Actor("système", frozenset({"system"}), display_name="Conventio")
