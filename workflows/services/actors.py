"""Who acts: a user with roles and territories, or the system (timers, messages)."""
from dataclasses import dataclass, field

from ..roles import DECIDING_ROLES, OBSERVER, OUTSIDE_PARTNERS, role_label


@dataclass(frozen=True)
class Actor:
    """`territories` are the user's own; `operated` those their grouping acts for (they prepare,
    the territory's own roles decide); `observed` those their grouping follows (read only);
    `organisation` the outside partner's (services/partners.py), "" when not given."""
    username: str
    roles: frozenset = field(default_factory=frozenset)
    territories: frozenset = field(default_factory=frozenset)
    display_name: str = ""
    operated: frozenset = field(default_factory=frozenset)
    observed: frozenset = field(default_factory=frozenset)
    organisation: str = ""

    @property
    def is_admin(self):
        return "admin" in self.roles

    @property
    def only_observes(self):
        return bool(self.roles) and self.roles <= {OBSERVER}

    @property
    def is_outside_partner(self):
        """Every role of theirs is an outside partner's (roles.OUTSIDE_PARTNERS)."""
        return bool(self.roles) and self.roles <= OUTSIDE_PARTNERS

    @property
    def visible_territories(self):
        """The territory codes the actor reads (None: every one, for an administrator)."""
        return None if self.is_admin else self.territories | self.operated | self.observed

    def may_act_in(self, role):
        """A task outside any lane is open to every user but an observer; a lane is its role's."""
        if role is None:
            return not self.only_observes
        return role in self.roles or self.is_admin

    def sees_territory(self, territory):
        return territory is None or self.is_admin or territory in self.territories \
            or territory in self.operated or territory in self.observed

    def acts_in_territory(self, territory, role=None):
        """Whether the actor may act (in `role`'s lane) on what belongs to `territory`."""
        if territory is None or self.is_admin or territory in self.territories:
            return True
        return territory in self.operated and role not in DECIDING_ROLES

    def main_role(self, preferred=None):
        if preferred and preferred in self.roles:
            return preferred
        return sorted(self.roles)[0] if self.roles else None

    def describe_role(self, role):
        return role_label(role) if role else "aucun rôle"


SYSTEM = Actor("système", frozenset({"system"}), display_name="Conventio")
