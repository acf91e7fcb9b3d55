"""A demo territory with one user per role, and the process library deployed; with the
deployments of the seeds (server/demo_deployments.py) for `conventio demo`."""
import secrets
from dataclasses import dataclass

from workflows.errors import Conflict
from workflows.roles import ROLE_LABELS
from workflows.services.actors import Actor
from workflows.services.deploy import deploy_paths
from workflows.services.users import add_user

from .demo_deployments import DEPLOYMENT_USERS, load_deployments

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
    territory: str
    password: str | None   # None: it already existed, its password is unchanged


BY = Actor("demo", frozenset({"admin"}), display_name="conventio demo")


def create_demo(conventio, password=None, territory=DEMO_TERRITORY):
    """Create the demo users (idempotent) and deploy the library; return ([DemoUser], [Deployed])."""
    users = _users(conventio, {u: (role, territory, name) for u, (role, name) in DEMO_USERS.items()}, password)
    deployed = deploy_paths(conventio, [str(conventio.settings.bpmn_dir)], BY)
    return users, deployed


def load_demo(conventio, password=None, territory=DEMO_TERRITORY):
    """The demo users and the library, then the seeds' deployments with their own users (once):
    ([DemoUser], [DemoUser of the deployments], [Deployed], whether the deployments were loaded now)."""
    users, deployed = create_demo(conventio, password, territory)
    staff = _users(conventio, DEPLOYMENT_USERS, password)
    loaded = load_deployments(conventio, territory, list(DEMO_USERS))
    return users, staff, deployed, loaded


def _users(conventio, accounts, password):
    """{username: (role, territory, display name)} created when missing."""
    users = []
    for username, (role, territory, display_name) in accounts.items():
        secret = password or secrets.token_urlsafe(9)
        try:
            add_user(conventio, username, [role], [territory], secret, display_name, by=BY)
        except Conflict:
            secret = None
        users.append(DemoUser(username, role, territory, secret))
    return users
