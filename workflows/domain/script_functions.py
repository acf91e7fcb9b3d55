"""The rules of the domain as functions that BPMN scripts and expressions may call.

Models run in a sandbox that sees task data only: plain JSON values. Each function
here takes and returns such values (ISO date strings, numbers, lists, dicts), converts
them at the edge and lets the domain decide: no rule is written twice. Their names are
French verbs so that they never collide with a data variable (the engine refuses task
data that would hide a function).

Two kinds of functions:

* ``verifier_*`` return None when the rule is respected, else the French sentence to
  show the user, so that a model can send the task back with it;
* the others compute; given data the domain refuses, they raise :class:`DomainError`,
  whose French text refuses the step.
"""
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import wraps

from .acts import act_number_error
from .calendar import (
    appeal_deadline,
    executory_date,
    format_date,
    territory,
)
from .deliberation import (
    Attendance,
    Choice,
    Proxy,
    VoteMode,
    check_convocation,
    check_quorum,
    check_reconvocation,
    convocation_delay_days,
    extract_names_errors,
    extract_signature_error,
    is_large_commune,
    count_votes,
    validate_proxies,
    vote_mode,
)
from .errors import DomainError
from .legal_delays import legal_value
from .json_values import day as _day, decimal as _decimal, iso as _iso, json_number as _json_number
from .indicators import ANCT_2020, check_minimum_purchase
from .money import format_percent, to_money
from .passes import expiry_alert_dates
from .procurement import (
    award_notice_deadline,
    choose_procedure,
    earliest_bid_deadline,
    earliest_signature_date,
    estimate_pass_order,
    minimum_bid_days,
)
from .script_functions_distribution import DISTRIBUTION_FUNCTIONS
from .script_functions_evaluation import EVALUATION_FUNCTIONS, FORM_PIC_PUBLIC  # noqa: F401 (documents)
from .thresholds import BuyerKind, PurchaseKind
from .script_functions_acts import ACT_FUNCTIONS
from .script_functions_procurement import PROCUREMENT_FUNCTIONS
from .script_functions_register import REGISTER_FUNCTIONS
from .local_time import LOCAL_TIME_FUNCTIONS

# EU thresholds are revised every two years: a consultation launched two years or more
# after the EU threshold in force took effect means the dated table was not updated.
EU_THRESHOLD_REVISION_YEARS = 2
TO_QUALIFY = "a_qualifier"

VOTE_MODES = {
    "public": VoteMode.PUBLIC, "main_levee": VoteMode.PUBLIC,
    "appel_nominal": VoteMode.ROLL_CALL, "scrutin_public": VoteMode.ROLL_CALL,
    "secret": VoteMode.SECRET, "scrutin_secret": VoteMode.SECRET,
}
# The vote form's values for the modes the domain decides.
FORM_VOTE_MODES = {VoteMode.PUBLIC: "public", VoteMode.ROLL_CALL: "appel_nominal", VoteMode.SECRET: "secret"}
BID_REDUCTIONS = ("aucun", "avis_preinformation", "urgence")


# --- conversions at the edge ---------------------------------------------------------


def _rate(percent) -> Decimal:
    return _decimal(percent) / 100


def _percent(rate: Decimal | None) -> int | float | None:
    return None if rate is None else _json_number((rate * 100).normalize())


# --- territory ------------------------------------------------------------------------


def nommer_territoire(code: str) -> str:
    """The territory's name ("972" -> "Martinique"); refuses an unknown code."""
    if not isinstance(code, str):
        raise DomainError("Territoire non renseigné : indiquez le code INSEE du territoire "
                          "(« 972 » pour la Martinique, « FR » pour la métropole).")
    return territory(code).label


# --- deliberations --------------------------------------------------------------------


def calculer_delai_convocation(population: int, urgence: bool = False, date_envoi: str | None = None) -> int:
    """Jours francs required between the convocation and the sitting, by the rule in force
    on the day it is sent (the latest known without a date)."""
    on = _day(date_envoi) if date_envoi else None
    return convocation_delay_days(population, urgency=bool(urgence), on=on)


def exiger_note_de_synthese(population: int, date_envoi: str | None = None) -> bool:
    """From 3,500 inhabitants the convocation carries a note explicative de synthèse."""
    return is_large_commune(population, _day(date_envoi) if date_envoi else None)


def verifier_convocation(date_envoi: str, date_seance: str, population: int, urgence: bool = False,
                         note_de_synthese_jointe: bool | None = None) -> str | None:
    """None when the convocation respects the delay in jours francs (and the note de
    synthèse when it is due), else the French reason."""
    error = check_convocation(_day(date_envoi), _day(date_seance), population, urgency=bool(urgence))
    if error is None and note_de_synthese_jointe is False and exiger_note_de_synthese(population, date_envoi):
        threshold = legal_value("seuil_habitants_grande_commune", _day(date_envoi))
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
    errors = check_reconvocation(_day(date_seance_sans_quorum), _day(date_envoi),
                                 _day(date_nouvelle_seance), (), ())
    return " ".join(errors) or None


def verifier_partenaires_distincts(partenaires: list) -> str | None:
    """None when each partner is listed once (names compared without case, accents or
    extra spaces), else the names listed twice: one partner, one convention."""
    seen, twice = set(), []
    for partner in partenaires:
        key = _folded_words(partner.get("nom", "") if isinstance(partner, dict) else partner)
        if key in seen:
            twice.append(str(partner.get("nom") if isinstance(partner, dict) else partner))
        seen.add(key)
    if not twice:
        return None
    return (f"Partenaire(s) recensé(s) deux fois : {', '.join(twice)}. Un partenaire n'a qu'une "
            "convention : supprimez le doublon.")


def _folded_words(name: str) -> tuple[str, ...]:
    """The words of a name without accents or case: "AZÉROT" and "Azerot" are one word."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return tuple(re.split(r"\s+", text.casefold().strip()))


def _member(name: str, present: list[str]) -> str:
    """The present member ``name`` designates, else ``name`` itself.

    An extract spells one member several ways ("Patricia PALMONT" among the proxies,
    "Patricia Athanase PALMONT" among those present; "AZEROT" and "AZÉROT"): a name
    designates the one present member whose name holds all its words, accents and case
    aside. Ambiguous or unknown names stay as written.
    """
    words = _folded_words(name)
    exact = [p for p in present if _folded_words(p) == words]
    if exact:
        return exact[0]
    wider = [p for p in present if len(words) > 1 and set(words) <= set(_folded_words(p))]
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
    errors = list(validate_proxies(proxies, present, _day(date_seance) if date_seance else None))
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
    return extract_signature_error(_day(date_seance), _day(date_signature_extrait))


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


# --- acts -----------------------------------------------------------------------------


def verifier_numero_acte(numero: str) -> str | None:
    """None for a valid @ctes act number, else the reason with a suggested number."""
    if not isinstance(numero, str):
        return f"Numéro d'acte manquant ou invalide : {numero!r}."
    return act_number_error(numero)


def calculer_date_executoire(date_publication: str | None, date_reception_prefecture: str | None) -> str | None:
    """The day the act became executory: published and received by the préfecture, in either order."""
    published = _day(date_publication) if date_publication else None
    received = _day(date_reception_prefecture) if date_reception_prefecture else None
    return _iso(executory_date(published, received))


def calculer_fin_delai_recours(date_publication: str, date_reception_prefecture: str, territoire: str) -> str:
    """Last day of the appeal period: two months from publication (third parties) and from
    receipt (préfet), the later of the two, carried to the territory's next working day."""
    code = territory(territoire).code
    return _iso(max(appeal_deadline(_day(date_publication), code),
                    appeal_deadline(_day(date_reception_prefecture), code)))


# --- procurement ----------------------------------------------------------------------


def estimer_commande(montant_passes, taux_frais_pct) -> dict:
    """Estimated value HT of a pass order: face value plus the issuer's fees, with the
    assumption the buyer confirms."""
    estimate = estimate_pass_order(to_money(_decimal(montant_passes)), _rate(taux_frais_pct))
    return {"valeur_faciale": _json_number(estimate.face_value), "frais": _json_number(estimate.fees),
            "valeur_estimee": _json_number(estimate.estimated_value), "hypothese": estimate.assumption}


def choisir_procedure(valeur_estimee_ht, date_lancement: str,
                      nature_achat: str = PurchaseKind.SUPPLIES_SERVICES.value,
                      type_acheteur: str = BuyerKind.LOCAL_AUTHORITY.value) -> dict:
    """Procedure and publicity from the dated thresholds table; "a_qualifier" when the
    table does not cover the launch date."""
    launched_on = _day(date_lancement)
    try:
        decision = choose_procedure(_decimal(valeur_estimee_ht), nature_achat, type_acheteur, launched_on)
    except DomainError as error:
        return _to_qualify(str(error))
    formal = _record(decision, "formal_procedure_from")
    if launched_on >= _years_after(formal.effective_from, EU_THRESHOLD_REVISION_YEARS):
        return _to_qualify(
            f"Les seuils européens de la table datent du {format_date(formal.effective_from)} : "
            f"révisés tous les deux ans, ils doivent être mis à jour pour une consultation lancée "
            f"le {format_date(launched_on)}. Qualifiez la procédure au vu des seuils en vigueur.")
    return {
        "procedure": decision.procedure.value,
        "publicite": decision.publicity.value,
        "publicite_libelle": decision.publicity.label,
        "seuil_dispense_ht": _json_number(_record(decision, "no_competition_below").amount),
        "seuil_europeen_ht": _json_number(formal.amount),
        "standstill_obligatoire": decision.standstill_required,
        "avis_attribution_obligatoire": decision.award_notice_required,
        "donnees_essentielles_obligatoires": decision.essential_data_required,
        "avertissements": list(decision.warnings),
        "explication": decision.explanation,
    }


def _record(decision, rule):
    return next(r for r in decision.records if r.rule == rule)


def _years_after(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


def _to_qualify(reason: str) -> dict:
    return {"procedure": TO_QUALIFY, "publicite": None, "publicite_libelle": None,
            "seuil_dispense_ht": None, "seuil_europeen_ht": None, "standstill_obligatoire": None,
            "avis_attribution_obligatoire": None, "donnees_essentielles_obligatoires": None,
            "avertissements": [reason], "explication": reason}


def _bid_options(electronique: bool, motif_reduction: str) -> dict:
    if motif_reduction not in BID_REDUCTIONS:
        raise DomainError(f"Motif de réduction du délai inconnu : {motif_reduction!r}.")
    return {"electronic": bool(electronique),
            "prior_information_notice": motif_reduction == "avis_preinformation",
            "urgency": motif_reduction == "urgence"}


def calculer_date_limite_offres(date_envoi_avis: str, electronique: bool = True,
                                motif_reduction: str = "aucun") -> str:
    """Earliest bid deadline of an open tender for a notice sent on ``date_envoi_avis``."""
    return _iso(earliest_bid_deadline(_day(date_envoi_avis), **_bid_options(electronique, motif_reduction)))


def verifier_date_limite_offres(date_envoi_avis: str, date_limite_offres: str, electronique: bool = True,
                                motif_reduction: str = "aucun") -> str | None:
    """None when the bid deadline leaves the minimum time of an open tender, else why not."""
    sent_on, deadline = _day(date_envoi_avis), _day(date_limite_offres)
    options = _bid_options(electronique, motif_reduction)
    earliest = earliest_bid_deadline(sent_on, **options)
    if deadline >= earliest:
        return None
    days = minimum_bid_days(sent_on, **options)
    return (f"Date limite de réception des offres trop proche : au moins {days} jours après "
            f"l'envoi de l'avis du {format_date(sent_on)} (CCP R2161-2 et R2161-3), soit le "
            f"{format_date(earliest)} au plus tôt.")


def calculer_date_signature_possible(date_envoi_lettres: str, electronique: bool = True) -> str:
    """First day the contract may be signed after the rejection letters (standstill)."""
    return _iso(earliest_signature_date(_day(date_envoi_lettres), electronic=bool(electronique)))


def calculer_date_limite_avis_attribution(date_signature: str) -> str:
    """Last day to send the award notice of a formal procedure."""
    return _iso(award_notice_deadline(_day(date_signature)))


# --- passes and distribution ----------------------------------------------------------


def calculer_dates_alerte_expiration(fin_validite: str, jours_alerte: list) -> dict:
    """The alert days before expiry, keyed "j30", "j15" (days before the end of validity);
    ``jours_alerte`` comes from the issuer's cycle (``calculer_validite_pass``)."""
    valid_until = _day(fin_validite)
    return {f"j{(valid_until - day).days}": _iso(day) for day in expiry_alert_dates(valid_until, jours_alerte)}


# --- evaluation -----------------------------------------------------------------------


def verifier_convention_anct(montant_achat_prevu_ht, taux_cofinancement_etat_pct,
                             part_minimale_public_pic_pct) -> str | None:
    """None when the draft respects the ANCT call's terms (minimum purchase, State share
    at most, PIC share at least), else every reason."""
    terms = ANCT_2020
    errors = [check_minimum_purchase(to_money(_decimal(montant_achat_prevu_ht)), terms)]
    if _rate(taux_cofinancement_etat_pct) > terms.state_max_share:
        errors.append(f"Cofinancement de l'État de {format_percent(_rate(taux_cofinancement_etat_pct))} : "
                      f"au plus {format_percent(terms.state_max_share)} des passes utilisés ({terms.source}).")
    if _rate(part_minimale_public_pic_pct) < terms.pic_min_share:
        errors.append(f"Part du public PIC de {format_percent(_rate(part_minimale_public_pic_pct))} : "
                      f"au moins {format_percent(terms.pic_min_share)} des passes ({terms.source}).")
    return " ".join(e for e in errors if e) or None


def _raising_from_here(function):
    """Re-raise what escapes ``function`` from its own frame.

    SpiffWorkflow looks for the failing script line in any traceback frame named
    "<string>", which the generated __init__ of a dataclass also is: an error raised
    inside one would make it fail on a line that does not exist.
    """
    @wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            raise error.with_traceback(None) from None
    return call


SCRIPT_FUNCTIONS = {
    function.__name__: _raising_from_here(function)
    for function in (
        nommer_territoire,
        calculer_delai_convocation, exiger_note_de_synthese, verifier_convocation,
        calculer_quorum, verifier_reconvocation, compter_voix,
        verifier_procurations, verifier_presences_extrait, verifier_signature_extrait,
        verifier_partenaires_distincts,
        determiner_mode_scrutin, verifier_mode_scrutin,
        verifier_numero_acte, calculer_date_executoire, calculer_fin_delai_recours,
        estimer_commande, choisir_procedure, calculer_date_limite_offres, verifier_date_limite_offres,
        calculer_date_signature_possible, calculer_date_limite_avis_attribution,
        calculer_dates_alerte_expiration,
        verifier_convention_anct,
        *DISTRIBUTION_FUNCTIONS,
        *EVALUATION_FUNCTIONS,
        *PROCUREMENT_FUNCTIONS,
        *ACT_FUNCTIONS,
        *REGISTER_FUNCTIONS,
        *LOCAL_TIME_FUNCTIONS,
    )
}
