"""Who may do what: the rules every door (pages, API, command line) applies through the services.

The pages only hide what these refuse; the refusal itself is the service's, so that the
three doors cannot disagree. Seeing is a matter of territory (404 outside it), acting of
role (403 outside it).
"""
from ..errors import Forbidden, InvalidData
from ..roles import REASSIGNING_ROLES, role_label

GENERATING_ROLE = "legal"
GENERATING_ROLES = frozenset({GENERATING_ROLE, "admin"})   # who generates a document on demand


def require_admin(actor):
    if not actor.is_admin:
        raise Forbidden("Cette action est réservée aux administrateurs de Conventio.")


def may_start(app, actor):
    """Whether the actor's roles let them start an instance (CONVENTIO_STARTER_ROLES)."""
    return bool(actor.roles & app.settings.starter_roles)


def require_starter(app, actor):
    if not may_start(app, actor):
        raise Forbidden("Votre rôle ne permet pas de démarrer une procédure.")


def start_territory(actor, requested):
    """The territory an instance starts in: the one asked for, or the actor's only one; one of
    the actor's (an administrator may choose any, or none)."""
    territory = (requested or "").strip() or None
    if territory is None and len(actor.territories) == 1:
        territory = next(iter(actor.territories))
    if territory is None and not actor.is_admin:
        raise InvalidData("Choisissez le territoire de la procédure.", {"territory": "champ obligatoire"})
    if territory is not None and not actor.acts_in_territory(territory):
        raise InvalidData(f"Vous n’agissez pas pour le territoire « {territory} ».",
                          {"territory": "territoire non autorisé"})
    return territory


def require_role(actor, role, territory=None):
    """A task's lane is its role's: acting on it (opening its form, claiming, completing) needs that
    role, and its territory must be one the actor acts for: their own, or one their grouping operates
    (where the territory's own roles keep the decisions); an observed territory is read only."""
    if role is None and actor.only_observes:
        raise Forbidden("Votre rôle d’observateur permet de consulter, non d’agir.")
    if not actor.may_act_in(role):
        raise Forbidden(f"Cette tâche relève du rôle « {role_label(role)} », que vous n’avez pas.")
    if territory is not None and not actor.acts_in_territory(territory, role):
        raise Forbidden(_outside_message(actor, territory, role))


def _outside_message(actor, territory, role):
    if territory in actor.operated:
        return (f"Cette décision revient au territoire « {territory} » : son propre rôle "
                f"« {role_label(role)} » la prend.")
    return f"Vous suivez le territoire « {territory} » sans y agir."


def may_generate(actor, territory=None):
    """Whether the actor may generate a document on demand (for an instance of `territory`)."""
    return bool(actor.roles & GENERATING_ROLES) and actor.acts_in_territory(territory, GENERATING_ROLE)


def require_generator(actor, territory=None):
    """Generating a document acts on the instance: the legal role, where the actor acts (as for
    completing a task there); an observed territory's documents are read only."""
    if not actor.roles & GENERATING_ROLES:
        raise Forbidden("Seul le service juridique peut générer un document à la demande.")
    if not actor.acts_in_territory(territory, GENERATING_ROLE):
        raise Forbidden(_outside_message(actor, territory, GENERATING_ROLE))


def may_reassign(actor, territory):
    """Handing a task to a colleague: an administrator, or a director of the task's own territory
    (not of a territory their grouping operates or observes: its own direction hands its tasks)."""
    return actor.is_admin or (bool(actor.roles & REASSIGNING_ROLES)
                              and (territory is None or territory in actor.territories))


def require_reassigner(actor, territory):
    if not actor.is_admin and not actor.roles & REASSIGNING_ROLES:
        raise Forbidden("Seule la direction peut confier une tâche à un collègue.")
    if not may_reassign(actor, territory):
        raise Forbidden(f"Vous ne dirigez pas le territoire « {territory} » : confier ses tâches revient à sa "
                        "propre direction.")


def require_absence_declarer(actor, absent):
    """An absence is declared by the absent user, an administrator, or a director of one of the
    absent user's territories."""
    if actor.username == absent.username or actor.is_admin:
        return
    if not actor.roles & REASSIGNING_ROLES or not actor.territories & absent.territories:
        raise Forbidden("Vous ne pouvez déclarer que votre propre absence ; celle d’un collègue revient à la "
                        "direction de son territoire ou à un administrateur.")


def require_absence_changer(actor, absent, declared_by):
    """An absence is cancelled or shortened by who declared it, the absent user, an administrator, or a
    director of one of the absent user's territories."""
    if actor.username == declared_by:
        return
    if actor.username == absent.username or actor.is_admin:
        return
    if not actor.roles & REASSIGNING_ROLES or not actor.territories & absent.territories:
        raise Forbidden("Seuls la personne absente, qui a déclaré l’absence, la direction de son territoire ou un "
                        "administrateur peuvent annuler ou écourter cette absence.")
