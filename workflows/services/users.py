"""Local user accounts (LDAP users are mirrored here at login by the server)."""
import json

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Conflict, InvalidData, NotFound
from ..roles import ROLE_LABELS
from ..states import JournalAction
from ..store.models import LoginSession, UserAccount
from .actors import Actor
from .results import UserSummary
from .rights import require_admin
from .steps import Step
from .territories import account_actor


MIN_PASSWORD_LENGTH = 12


def add_user(app, username, roles, territories, password=None, display_name=None, by=None, organisation=None):
    """A new local account, added by an administrator `by` (None: the installation's own setup);
    `organisation`: an outside partner's (the CCAS, a mediation place: services/partners.py)."""
    if by is not None:
        require_admin(by)
    username = (username or "").strip()
    if not username:
        raise InvalidData("Identifiant vide.", {"username": "champ obligatoire"})
    unknown = [r for r in roles if r not in ROLE_LABELS]
    if unknown:
        raise InvalidData(f"Rôle(s) inconnu(s) : {', '.join(unknown)}. Rôles possibles : "
                          f"{', '.join(ROLE_LABELS)}.", {"role": "rôle inconnu"})
    with Step(app) as step:
        if step.session.get(UserAccount, username) is not None:
            raise Conflict(f"L’utilisateur « {username} » existe déjà.")
        step.session.add(UserAccount(
            username=username, display_name=display_name or username,
            roles=json.dumps(sorted(set(roles))), territories=json.dumps(sorted(set(territories))),
            password_hash=generate_password_hash(password) if password else None, active=True,
            organisation=(organisation or "").strip() or None))
        if by is not None:
            step.record(JournalAction.USER, f"Création de l’utilisateur « {username} »", by,
                        payload={"roles": sorted(roles), "territoires": sorted(territories),
                                 "organisation": (organisation or "").strip() or None})
        step.commit()
    return get_actor(app, username)


def get_actor(app, username):
    """The active user `username` as an Actor; NotFound otherwise."""
    with app.db.sessions() as session:
        account = session.get(UserAccount, username)
        if account is None or not account.active:
            raise NotFound(f"Utilisateur « {username} » inconnu ou désactivé.")
        return account_actor(session, account)


def authenticate(app, username, password):
    with app.db.sessions() as session:
        account = session.get(UserAccount, username)
        if account is None or not account.active or not account.password_hash \
                or not check_password_hash(account.password_hash, password):
            return None
        return account_actor(session, account)


def list_users(app, by=None) -> list[UserSummary]:
    """Every account, for an administrator `by` (None: the installation's own tools)."""
    if by is not None:
        require_admin(by)
    with app.db.sessions() as session:
        return [{"username": a.username, "display_name": a.display_name, "roles": json.loads(a.roles),
                 "territories": json.loads(a.territories), "active": a.active, "organisation": a.organisation}
                for a in session.execute(select(UserAccount).order_by(UserAccount.username)).scalars()]


def set_active(app, username, active, by):
    require_admin(by)
    with Step(app) as step:
        account = step.session.get(UserAccount, username)
        if account is None:
            raise NotFound(f"Utilisateur « {username} » inconnu.")
        account.active = active
        step.record(JournalAction.USER, f"Utilisateur « {username} » {'réactivé' if active else 'désactivé'}", by)
        step.commit()


def reset_password(app, username, password, by):
    """An administrator `by` gives a local account a new password; its page sessions and API
    tokens end (whoever held the old one is out). Journaled, without the password."""
    require_admin(by)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidData(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.",
                          {"password": f"au moins {MIN_PASSWORD_LENGTH} caractères"})
    with Step(app) as step:
        account = step.session.get(UserAccount, username)
        if account is None:
            raise NotFound(f"Utilisateur « {username} » inconnu.")
        if account.source == "ldap":
            raise InvalidData(f"« {username} » est un compte de l’annuaire LDAP : son mot de passe se change "
                              "dans l’annuaire.", {"username": "compte de l’annuaire LDAP"})
        account.password_hash = generate_password_hash(password)
        ended = step.session.execute(delete(LoginSession).where(LoginSession.username == username)).rowcount
        step.record(JournalAction.USER, f"Mot de passe de « {username} » réinitialisé par un administrateur ; "
                                   f"{ended} session(s) ou jeton(s) fermé(s)", by,
                    payload={"utilisateur": username, "sessions": ended})
        step.commit()
    return ended


def mirror_directory_user(app, username, display_name, roles, territories, organisation=None):
    """Create or refresh the local mirror of a directory user, with the roles and territories
    their groups give and their organisation (an outside partner's); the Actor, or None when the
    mirror was disabled (or the name is a local account's)."""
    organisation = (organisation or "").strip() or None
    try:
        return _mirror(app, username, display_name, roles, territories, organisation)
    except IntegrityError:  # two first logins at once: the other one created it
        return _mirror(app, username, display_name, roles, territories, organisation)


def _mirror(app, username, display_name, roles, territories, organisation):
    roles_json = json.dumps(sorted(roles))
    territories_json = json.dumps(sorted(territories))
    who = Actor(username, frozenset(roles), frozenset(territories), display_name)
    grants = {"roles": sorted(roles), "territoires": sorted(territories), "organisation": organisation}
    with Step(app) as step:
        account = step.session.get(UserAccount, username)
        if account is None:
            step.session.add(UserAccount(username=username, display_name=display_name,
                                         roles=roles_json, territories=territories_json,
                                         password_hash=None, active=True, source="ldap", organisation=organisation))
            step.record(JournalAction.USER, summary=f"Utilisateur « {username} » créé depuis l’annuaire LDAP",
                        actor=who, payload=grants)
        elif account.source != "ldap" or not account.active:
            return None
        elif (account.roles, account.territories, account.display_name, account.organisation) != (
                roles_json, territories_json, display_name, organisation):
            account.roles, account.territories = roles_json, territories_json
            account.display_name, account.organisation = display_name, organisation
            step.record(JournalAction.USER, summary=f"Rôles de « {username} » mis à jour depuis l’annuaire LDAP",
                        actor=who, payload=grants)
        step.commit()
    return get_actor(app, username)
