"""Script functions of the deliberation: the convocation in jours francs, the quorum, the
proxies, the extract of the register, the vote mode and the count of the votes.

Plain JSON in and out, French verb names, the domain decides (:mod:`workflows.domain.deliberation`,
the CGCT).
"""
from ..domain.deliberation import (
    Attendance,
    Choice,
    Proxy,
    VoteMode,
    check_convocation,
    check_quorum,
    check_reconvocation,
    convocation_delay_days,
    count_votes,
    extract_names_errors,
    extract_signature_error,
    is_large_commune,
    validate_proxies,
    vote_mode,
)
from ..domain.errors import DomainError
from ..domain.legal_delays import legal_value
from .conversions import day, folded_words


VOTE_MODES = {
    "public": VoteMode.PUBLIC, "main_levee": VoteMode.PUBLIC,
    "appel_nominal": VoteMode.ROLL_CALL, "scrutin_public": VoteMode.ROLL_CALL,
    "secret": VoteMode.SECRET, "scrutin_secret": VoteMode.SECRET,
}
# The vote form's values for the modes the domain decides.
FORM_VOTE_MODES = {VoteMode.PUBLIC: "public", VoteMode.ROLL_CALL: "appel_nominal", VoteMode.SECRET: "secret"}


# --- convocation and quorum -----------------------------------------------------------


def calculer_delai_convocation(population: int, urgence: bool = False, date_envoi: str | None = None) -> int:
    """Jours francs required between the convocation and the sitting, by the rule in force
    on the day it is sent (the latest known without a date)."""
    on = day(date_envoi) if date_envoi else None
    return convocation_delay_days(population, urgency=bool(urgence), on=on)


def exiger_note_de_synthese(population: int, date_envoi: str | None = None) -> bool:
    """From 3,500 inhabitants the convocation carries a note explicative de synthèse."""
    return is_large_commune(population, day(date_envoi) if date_envoi else None)


def verifier_convocation(date_envoi: str, date_seance: str, population: int, urgence: bool = False,
                         note_de_synthese_jointe: bool | None = None) -> str | None:
    """None when the convocation respects the delay in jours francs (and the note de
    synthèse when it is due), else the French reason."""
    error = check_convocation(day(date_envoi), day(date_seance), population, urgency=bool(urgence))
    if error is None and note_de_synthese_jointe is False and exiger_note_de_synthese(population, date_envoi):
        threshold = legal_value("seuil_habitants_grande_commune", day(date_envoi))
        inhabitants = f"{threshold.value:,}".replace(",", "\u202f")
        error = (f"Note explicative de synthèse manquante : elle doit accompagner la convocation "
                 f"à partir de {inhabitants} habitants ({threshold.source}).")
    return error


def calculer_quorum(membres_en_exercice: int, presents: int, procurations: int = 0,
                    absents: int | None = None, sur_reconvocation: bool = False,
                    membres_retires: int = 0) -> dict:
    """Quorum of the sitting: members physically present only, less those who withdrew for
    a personal interest in the item; refuses impossible counts."""
    attendance = Attendance(membres_en_exercice, presents, procurations)
    if absents is not None and absents != attendance.absent:
        raise DomainError(
            f"{absents} absent(s) déclaré(s) : {membres_en_exercice} membres en exercice, "
            f"{presents} présents et {procurations} représentés laissent {attendance.absent} absent(s).")
    check = check_quorum(membres_en_exercice, presents, withdrawn=membres_retires,
                         reconvened=bool(sur_reconvocation))
    return {"requis": check.required, "presents_comptes": check.counted_present,
            "atteint": check.reached, "votants": attendance.voting - membres_retires, "message": check.message}


def verifier_reconvocation(date_seance_sans_quorum: str, date_envoi: str,
                           date_nouvelle_seance: str) -> str | None:
    """None when the new sitting is at least three jours francs after the new convocation."""
    errors = check_reconvocation(day(date_seance_sans_quorum), day(date_envoi),
                                 day(date_nouvelle_seance), (), ())
    return " ".join(errors) or None


# --- the extract ----------------------------------------------------------------------


def _member(name: str, present: list[str]) -> str:
    """The present member ``name`` designates, else ``name`` itself.

    An extract spells one member several ways ("Patricia PALMONT" among the proxies,
    "Patricia Athanase PALMONT" among those present; "AZEROT" and "AZÉROT"): a name
    designates the one present member whose name holds all its words, accents and case
    aside. Ambiguous or unknown names stay as written.
    """
    words = folded_words(name)
    exact = [p for p in present if folded_words(p) == words]
    if exact:
        return exact[0]
    wider = [p for p in present if len(words) > 1 and set(words) <= set(folded_words(p))]
    return wider[0] if len(wider) == 1 else name


def _name(entry) -> str:
    return entry["nom"] if isinstance(entry, dict) else entry


def verifier_procurations(representes: list, presents: list, procurations: int,
                          date_seance: str | None = None) -> str | None:
    """None when the proxies of the sitting are regular (CGCT L2121-20), else every reason.

    ``representes`` are the extract's [{mandant, mandataire, seances_consecutives?,
    maladie?}]; ``presents`` the members present ([{nom}] or names); ``procurations`` the
    number of members represented recorded at the opening of the sitting.
    """
    present = [_name(p) for p in presents]
    proxies = [Proxy(_member(r["mandant"], present), _member(r["mandataire"], present),
                     consecutive_sittings=r.get("seances_consecutives", 1),
                     illness=bool(r.get("maladie", False)))
               for r in representes]
    errors = list(validate_proxies(proxies, present, day(date_seance) if date_seance else None))
    if len(proxies) != procurations:
        errors.append(f"{len(proxies)} procuration(s) inscrite(s) à l'extrait pour {procurations} membre(s) "
                      "représenté(s) constaté(s) à l'ouverture de la séance.")
    return " ".join(errors) or None


def verifier_presences_extrait(liste_presents: list, liste_absents: list, presents: int,
                               absents: int) -> str | None:
    """None when the extract names as many members present and absent as the sitting
    counted (``presents``, ``absents``), else both numbers in French. The members
    represented are matched by :func:`verifier_procurations`."""
    if not isinstance(liste_presents, list) or not isinstance(liste_absents, list):
        raise DomainError("Listes des présents et des absents de l'extrait invalides (listes attendues).")
    return " ".join(extract_names_errors(len(liste_presents), len(liste_absents), presents, absents)) or None


def verifier_signature_extrait(date_seance: str, date_signature_extrait: str) -> str | None:
    """None when the extract is signed on or after the sitting, else why not."""
    return extract_signature_error(day(date_seance), day(date_signature_extrait))


# --- the vote -------------------------------------------------------------------------


def determiner_mode_scrutin(presents: int, demandes_appel_nominal: int = 0,
                            demandes_scrutin_secret: int = 0, nomination: bool = False,
                            membres_retires: int = 0) -> str:
    """The vote mode the law imposes (CGCT L2121-21), as the vote form names it: "secret"
    when a third of the members present ask or for an appointment, "appel_nominal" when a
    quarter ask, else "public". Members who withdrew from the item are not counted."""
    mode = vote_mode(presents, withdrawn=membres_retires, roll_call_requests=demandes_appel_nominal,
                     secret_requests=demandes_scrutin_secret, appointment=bool(nomination))
    return FORM_VOTE_MODES[mode]


def verifier_mode_scrutin(mode_scrutin: str, presents: int, demandes_appel_nominal: int = 0,
                          demandes_scrutin_secret: int = 0, nomination: bool = False,
                          membres_retires: int = 0) -> str | None:
    """None when the mode entered is the one the law imposes, else why and which one."""
    entered = _vote_mode(mode_scrutin)
    required = vote_mode(presents, withdrawn=membres_retires, roll_call_requests=demandes_appel_nominal,
                         secret_requests=demandes_scrutin_secret, appointment=bool(nomination))
    if entered is required:
        return None
    counted = presents - membres_retires
    among = f"{counted} présent(s)" + (f" comptés ({presents} présents moins {membres_retires} retirés "
                                       "pour intérêt personnel à l'affaire)" if membres_retires else "")
    if required is VoteMode.SECRET and nomination:
        reason = "alors qu'il s'agit d'une nomination"
    elif required is VoteMode.SECRET:
        reason = (f"alors que {demandes_scrutin_secret} membre(s) sur {among} demandent le scrutin secret, "
                  "le tiers suffit")
    elif required is VoteMode.ROLL_CALL:
        reason = (f"alors que {demandes_appel_nominal} membre(s) sur {among} demandent l'appel nominal, "
                  "le quart suffit")
    else:
        reason = (f"alors que ni le quart des {among} pour l'appel nominal, ni le tiers pour le scrutin "
                  "secret ne l'ont demandé, et il ne s'agit pas d'une nomination")
    by = "par" if required is VoteMode.PUBLIC else "au"
    return (f"Mode de scrutin irrégulier : {entered.label} saisi, {reason} ; le vote "
            f"doit avoir lieu {by} {required.label} (CGCT L2121-21).")


def _vote_mode(mode_scrutin: str) -> VoteMode:
    try:
        return VOTE_MODES[mode_scrutin]
    except KeyError:
        raise DomainError(f"Mode de scrutin inconnu : {mode_scrutin!r}.") from None


def compter_voix(pour: int, contre: int, abstentions: int, mode_scrutin: str,
                 vote_president: str | None = None, votants: int | None = None) -> dict:
    """Absolute majority of the votes cast; the président's casting vote except in a secret ballot."""
    result = count_votes(pour, contre, abstentions, mode=_vote_mode(mode_scrutin),
                         president_vote=Choice(vote_president) if vote_president else None,
                         voting_members=votants)
    return {"adoptee": result.adopted, "suffrages_exprimes": result.votes_cast,
            "majorite_requise": result.majority_required,
            "voix_preponderante": result.casting_vote_used, "unanimite": result.unanimous,
            "message": result.message}


VERBS = (
    calculer_delai_convocation, exiger_note_de_synthese, verifier_convocation, calculer_quorum,
    verifier_reconvocation, verifier_procurations, verifier_presences_extrait, verifier_signature_extrait,
    determiner_mode_scrutin, verifier_mode_scrutin, compter_voix,
)
