"""Absences: a user away for some days names a substitute who holds their roles in their
territories; meanwhile the tasks the absent user had claimed may be taken by the substitute
(services/assignments.py). An absence ends by itself: every query compares with now.

The days are the absent user's: from the first day's midnight to the midnight after the last day,
in their territory's time zone (overseas territories included), stored in UTC.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from ..documents.recipients import same_name
from ..domain.french_dates import format_date
from ..errors import Conflict, InvalidData, NotFound
from ..states import JournalAction
from ..store.models import Absence, Territory, UserAccount
from .persistence import aware, db_time
from .partners import organisation_of
from .results import AbsenceSummary
from .rights import require_absence_changer, require_absence_declarer
from .steps import Step, utc_now
from .territories import DEFAULT_TIME_ZONE, account_actor

LONGEST_ABSENCE_DAYS = 366


def declare_absence(app, username, substitute, first_day, last_day, actor) -> AbsenceSummary:
    """Record `username`'s absence from `first_day` to `last_day` (ISO dates, both included), with
    `substitute`: refused (nothing recorded) with the field and the reason in French."""
    with Step(app) as step:
        absent = _user(step.session, username, "username", "L’utilisateur absent")
        require_absence_declarer(actor, absent)
        replacing = _user(step.session, substitute, "substitute", "Le remplaçant")
        _require_substitute(absent, replacing)
        zone = ZoneInfo(_time_zone(step.session, absent))
        start, end = _days(first_day, last_day)
        starts_at, ends_at = _midnight(start, zone), _midnight(end + timedelta(days=1), zone)
        if ends_at <= aware(step.now):
            raise InvalidData("Cette absence est déjà terminée : indiquez un dernier jour à venir.",
                              {"last_day": "date passée"})
        row = Absence(username=absent.username, substitute=replacing.username, starts_at=db_time(starts_at),
                      ends_at=db_time(ends_at), declared_by=actor.username, declared_at=step.now)
        step.session.add(row)
        step.session.flush()
        step.record(JournalAction.ABSENCE,
                    f"Absence de {_name(absent)} du {format_date(start)} au {format_date(end)} : "
                    f"remplacé(e) par {_name(replacing)}, déclarée par {_name(actor)}", actor,
                    payload={"absent": absent.username, "remplacant": replacing.username,
                             "du": start.isoformat(), "au": end.isoformat()})
        step.commit()
        return absence_summary(row)


def cancel_absence(app, absence_id, actor) -> AbsenceSummary:
    """Cancel an absence declared by mistake or ended early: one to come is withdrawn, one under way
    ends now; from then on its substitute no longer takes the absent user's tasks. The absence as it
    was; refused (nothing changed) when it is over already (409) or the actor may not (403)."""
    with Step(app) as step:
        row, absent, zone = _changeable(step, absence_id, actor)
        summary, (start, end) = absence_summary(row), _dates(row, zone)
        if row.starts_at > step.now:
            step.session.delete(row)
            words = "annulée"
        else:
            row.ends_at = step.now
            words = "terminée ce jour"
        step.record(JournalAction.ABSENCE,
                    f"Absence de {_name(absent)} du {format_date(start)} au {format_date(end)} {words} par "
                    f"{_name(actor)} : {_substitute_name(step.session, row)} ne la remplace plus", actor,
                    payload={"absence": summary["id"], "absent": absent.username, "annulee": True})
        step.commit()
        return summary


def shorten_absence(app, absence_id, last_day, actor) -> AbsenceSummary:
    """Bring an absence's last day forward (an ISO date, today or later, not before its first day);
    refused with the field and the reason (422), or when it is over already (409): nothing changed."""
    with Step(app) as step:
        row, absent, zone = _changeable(step, absence_id, actor)
        start, end = _dates(row, zone)
        new_end = _day(last_day, "last_day", "Le dernier jour")
        ends_at = _midnight(new_end + timedelta(days=1), zone)
        if new_end >= end:
            raise InvalidData(f"Le dernier jour ne peut qu’être avancé (il est le {format_date(end)}) : pour une "
                              "absence plus longue, déclarez-en une autre.", {"last_day": "pas avant l’actuel"})
        if new_end < start:
            raise InvalidData("Le dernier jour de l’absence précède le premier : annulez-la plutôt.",
                              {"last_day": "avant le premier jour"})
        if ends_at <= aware(step.now):
            raise InvalidData("Ce dernier jour est passé : annulez l’absence pour qu’elle finisse dès maintenant.",
                              {"last_day": "date passée"})
        row.ends_at = db_time(ends_at)
        step.record(JournalAction.ABSENCE,
                    f"Absence de {_name(absent)} écourtée par {_name(actor)} : dernier jour le "
                    f"{format_date(new_end)} au lieu du {format_date(end)}", actor,
                    payload={"absence": row.id, "absent": absent.username, "au": new_end.isoformat(),
                             "au_lieu_du": end.isoformat()})
        step.commit()
        return absence_summary(row)


def _changeable(step, absence_id, actor):
    """The absence not yet over that the actor may change: (row, the absent user, their time zone)."""
    row = step.session.get(Absence, absence_id) if isinstance(absence_id, int) else None
    absent_account = step.session.get(UserAccount, row.username) if row is not None else None
    if row is None or absent_account is None:
        raise NotFound(f"Absence n° {absence_id} introuvable.")
    absent = account_actor(step.session, absent_account)
    require_absence_changer(actor, absent, row.declared_by)
    if row.ends_at <= step.now:
        raise Conflict("Cette absence est terminée : elle ne peut plus être annulée ni modifiée.")
    return row, absent, ZoneInfo(_time_zone(step.session, absent))


def _dates(row, zone):
    """(first day, last day) of an absence, in the absent user's time zone."""
    return (aware(row.starts_at).astimezone(zone).date(),
            (aware(row.ends_at).astimezone(zone) - timedelta(days=1)).date())


def _substitute_name(session, row):
    account = session.get(UserAccount, row.substitute)
    return account.display_name if account is not None and account.display_name else row.substitute


def _user(session, username, field, label):
    account = session.get(UserAccount, (username or "").strip()) if isinstance(username, str) else None
    if account is None or not account.active:
        raise InvalidData(f"{label} « {username or ''} » est inconnu ou désactivé.", {field: "utilisateur inconnu"})
    return account_actor(session, account)


def _require_substitute(absent, replacing):
    if replacing.username == absent.username:
        raise InvalidData("Le remplaçant doit être un(e) autre que la personne absente.",
                          {"substitute": "même personne"})
    missing = sorted(absent.describe_role(r) for r in absent.roles if not replacing.may_act_in(r))
    if missing:
        raise InvalidData(f"{_name(replacing)} n’a pas le rôle « {missing[0]} » de {_name(absent)} : il ou elle "
                          "ne peut pas reprendre ses tâches.", {"substitute": "rôle manquant"})
    outside = sorted(t for t in absent.territories if not replacing.acts_in_territory(t))
    if outside:
        raise InvalidData(f"{_name(replacing)} n’agit pas pour le territoire « {outside[0]} » de {_name(absent)} : "
                          "il ou elle ne peut pas reprendre ses tâches.", {"substitute": "territoire non couvert"})
    if absent.is_outside_partner and not same_name(organisation_of(absent), organisation_of(replacing)):
        raise InvalidData(f"{_name(replacing)} n’est pas de l’organisation « {organisation_of(absent)} » de "
                          f"{_name(absent)} : il ou elle ne peut pas reprendre ses tâches.",
                          {"substitute": "autre organisation"})


def _days(first_day, last_day):
    start = _day(first_day, "first_day", "Le premier jour")
    end = _day(last_day, "last_day", "Le dernier jour")
    if end < start:
        raise InvalidData("Le dernier jour de l’absence précède le premier.", {"last_day": "avant le premier jour"})
    if (end - start).days >= LONGEST_ABSENCE_DAYS:
        raise InvalidData(f"Une absence dure au plus {LONGEST_ABSENCE_DAYS} jours : déclarez-en une autre ensuite.",
                          {"last_day": "absence trop longue"})
    return start, end


def _day(value, field, label):
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(f"{label} de l’absence est obligatoire (AAAA-MM-JJ).", {field: "champ obligatoire"})
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidData(f"{label} doit être une date (AAAA-MM-JJ).", {field: "date invalide"}) from None


def _time_zone(session, absent):
    row = session.get(Territory, min(absent.territories)) if absent.territories else None
    return row.time_zone if row is not None and row.time_zone else DEFAULT_TIME_ZONE


def _midnight(day, zone):
    return datetime.combine(day, time(), tzinfo=zone)


def _name(actor):
    return actor.display_name or actor.username


def absence_summary(row) -> AbsenceSummary:
    return {"id": row.id, "username": row.username, "substitute": row.substitute,
            "starts_at": aware(row.starts_at).isoformat(), "ends_at": aware(row.ends_at).isoformat(),
            "declared_by": row.declared_by, "declared_at": aware(row.declared_at).isoformat()}


def list_absences(app, actor, username=None) -> list[AbsenceSummary]:
    """The absences not yet over where `username` (the actor by default) is away or substitutes;
    another user's for those who may declare them only (NotFound for an unknown user)."""
    with app.db.sessions() as session:
        if username and username != actor.username:
            account = session.get(UserAccount, username)
            if account is None:
                raise NotFound(f"Utilisateur « {username} » inconnu.")
            require_absence_declarer(actor, account_actor(session, account))
        who = username or actor.username
        rows = session.execute(select(Absence).where(or_(Absence.username == who, Absence.substitute == who),
                                                     Absence.ends_at > db_time(utc_now()))
                               .order_by(Absence.starts_at, Absence.id)).scalars()
        return [absence_summary(row) for row in rows]


def replaced_by(session, substitute, now):
    """The users `substitute` replaces at `now` (a naive UTC time, as stored)."""
    return set(session.execute(select(Absence.username).where(
        Absence.substitute == substitute, Absence.starts_at <= now, Absence.ends_at > now)).scalars())


def replacing(app, actor):
    """The users the actor replaces now."""
    with app.db.sessions() as session:
        return replaced_by(session, actor.username, db_time(utc_now()))
