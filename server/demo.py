"""A demo territory with one user per role, and the process library deployed."""
import secrets
from dataclasses import dataclass

from workflows.errors import Conflict
from workflows.roles import ROLE_LABELS
from workflows.services.actors import Actor
from workflows.services.deploy import deploy_paths
from workflows.services.users import add_user

DEMO_TERRITORY = "cap-nord"
DEMO_USERS = {   # username -> (role, display name)
    "directrice": ("director", "Claire Directrice"),
    "juriste": ("legal", "Julien Juriste"),
    "dgs": ("dgs", "Danielle DGS"),
    "acheteur": ("buyer", "Achille Acheteur"),
    "finances": ("finance", "Fanny Finances"),
    "president": ("president", "Paul Président"),
    "assemblees": ("assembly", "Agnès Assemblées"),
    "prescripteur": ("prescriber", "Pierre Prescripteur"),
    "mediation": ("mediation", "Mélanie Médiation"),
    "anct": ("anct", "Antoine ANCT"),
    "elu": ("elected", "Élise Élue"),
    "observateur": ("observer", "Odile Observatrice"),
    "admin": ("admin", "Alice Admin"),
}
assert {role for role, _ in DEMO_USERS.values()} == set(ROLE_LABELS), "one demo user per role"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    password: str | None   # None: it already existed, its password is unchanged


def create_demo(conventio, password=None, territory=DEMO_TERRITORY):
    """Create the demo users (idempotent) and deploy the library; return ([DemoUser], [Deployed])."""
    by = Actor("demo", frozenset({"admin"}), display_name="conventio demo")
    users = []
    for username, (role, display_name) in DEMO_USERS.items():
        secret = password or secrets.token_urlsafe(9)
        try:
            add_user(conventio, username, [role], [territory], secret, display_name, by=by)
        except Conflict:
            secret = None
        users.append(DemoUser(username, role, secret))
    deployed = deploy_paths(conventio, [str(conventio.settings.bpmn_dir)], by)
    return users, deployed
