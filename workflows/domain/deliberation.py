"""Council sittings: quorum, proxies, majority, vote modes and convocation delays.

The CGCT articles are written for the conseil municipal; L5211-1 applies them to
the councils of EPCI (conseil communautaire) and L3121-x / L4132-x repeat them for
départements and régions.
"""
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from .french_dates import format_date
from .legal_delays import legal_value
from .errors import DomainError

# Without a date, the latest value of the table of legal delays applies.
LATEST = date.max


def _require_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(f"{what} : nombre entier positif ou nul attendu, reçu {value!r}.")


# --- Attendance and quorum ------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """The counts an extract of the register carries for one item."""

    in_office: int
    present: int
    represented: int = 0

    def __post_init__(self) -> None:
        for value, what in ((self.in_office, "Membres en exercice"),
                            (self.present, "Membres présents"),
                            (self.represented, "Membres représentés")):
            _require_count(value, what)
        if self.present + self.represented > self.in_office:
            raise DomainError(
                f"{self.present} présents et {self.represented} représentés dépassent "
                f"les {self.in_office} membres en exercice.")
        if self.represented > self.present:
            raise DomainError(
                f"{self.represented} procurations pour {self.present} présents : un conseiller "
                "ne peut détenir qu'une procuration (CGCT L2121-20).")

    @property
    def voting(self) -> int:
        """Members who may vote: those present plus those they represent."""
        return self.present + self.represented

    @property
    def absent(self) -> int:
        """Members neither present nor represented."""
        return self.in_office - self.present - self.represented


def quorum_required(members_in_office: int) -> int:
    """More than half the members in office: floor(n/2)+1 (CGCT L2121-17). 53 -> 27."""
    _require_count(members_in_office, "Membres en exercice")
    if members_in_office == 0:
        raise DomainError("Une assemblée sans membre en exercice ne peut pas délibérer.")
    return members_in_office // 2 + 1


@dataclass(frozen=True)
class QuorumCheck:
    members_in_office: int
    counted_present: int
    required: int
    reached: bool
    reconvened: bool
    message: str


def check_quorum(
    members_in_office: int,
    physically_present: int,
    *,
    withdrawn: int = 0,
    reconvened: bool = False,
) -> QuorumCheck:
    """Quorum for one item (CGCT L2121-17), checked at the opening and for each item.

    Only members physically present count: proxies never do, and members who withdrew
    for a personal interest in the item (L2131-11) are not counted. On a sitting
    convened again after a failed quorum, the council deliberates whatever the number.
    """
    required = quorum_required(members_in_office)
    _require_count(physically_present, "Membres présents")
    if physically_present > members_in_office:
        raise DomainError(
            f"{physically_present} présents pour {members_in_office} membres en exercice.")
    counted = counted_present(physically_present, withdrawn)
    reached = reconvened or counted >= required
    message = _quorum_message(counted, required, members_in_office, reached, reconvened)
    return QuorumCheck(members_in_office, counted, required, reached, reconvened, message)


def counted_present(physically_present: int, withdrawn: int = 0) -> int:
    """Members present who count for an item: a member who withdrew for a personal
    interest in it (L2131-11) counts neither for the quorum nor for the vote mode."""
    _require_count(physically_present, "Membres présents")
    _require_count(withdrawn, "Membres retirés")
    if withdrawn > physically_present:
        raise DomainError(f"{withdrawn} membres retirés pour {physically_present} présents.")
    return physically_present - withdrawn


def _quorum_message(counted, required, in_office, reached, reconvened) -> str:
    counts = f"{counted} membres présents pour {required} requis ({in_office} en exercice)"
    if reconvened:
        return (f"Séance sur nouvelle convocation après défaut de quorum : {counts} ; "
                "le conseil délibère valablement quel que soit le nombre de présents "
                "(CGCT L2121-17).")
    if reached:
        return f"Quorum atteint : {counts}."
    return (f"Quorum non atteint : {counts}. Les procurations ne comptent pas. Le conseil "
            "doit être à nouveau convoqué, à trois jours au moins d'intervalle (CGCT L2121-17).")


# --- Reconvocation after a failed quorum ----------------------------------------------


def earliest_reconvened_sitting(failed_sitting_on: date, sent_on: date) -> date:
    """Earliest date of the sitting convened again after a failed quorum (CGCT L2121-17).

    "À trois jours au moins d'intervalle": the Conseil d'État requires three jours
    francs between sending the new convocation and the new sitting (CE, 16 juin 1997,
    Pfister, n° 142691), which also leaves three clear days after the failed sitting.
    """
    if sent_on < failed_sitting_on:
        raise DomainError(
            "La nouvelle convocation ne peut pas précéder la séance où le quorum a manqué "
            f"({format_date(failed_sitting_on)}).")
    return sent_on + timedelta(days=legal_value("reconvocation_jours_francs", sent_on).value + 1)


def check_reconvocation(
    failed_sitting_on: date,
    sent_on: date,
    new_sitting_on: date,
    original_items: Collection[str],
    new_items: Collection[str],
) -> tuple[str, ...]:
    """French errors of a sitting convened again without quorum condition; () when valid.

    The quorum waiver covers the same items only: a new item needs a normal sitting.
    """
    if sent_on < failed_sitting_on:
        return (f"La nouvelle convocation ({format_date(sent_on)}) précède la séance où le "
                f"quorum a manqué ({format_date(failed_sitting_on)}).",)
    errors = []
    earliest = earliest_reconvened_sitting(failed_sitting_on, sent_on)
    if new_sitting_on < earliest:
        errors.append(
            f"Séance du {format_date(new_sitting_on)} trop rapprochée : après une convocation "
            f"envoyée le {format_date(sent_on)}, trois jours francs doivent s'écouler ; "
            f"séance possible au plus tôt le {format_date(earliest)} (CGCT L2121-17).")
    for item in new_items:
        if item not in original_items:
            errors.append(
                f"Le point « {item} » ne figurait pas à l'ordre du jour de la séance du "
                f"{format_date(failed_sitting_on)} : sans quorum, le conseil ne peut "
                "délibérer que sur les mêmes points.")
    return tuple(errors)


# --- Proxies --------------------------------------------------------------------------


@dataclass(frozen=True)
class Proxy:
    """A written proxy (pouvoir) from ``giver`` to ``holder``, identified by member id.

    ``consecutive_sittings`` is how many consecutive sittings the proxy has covered,
    this one included; ``illness`` records a duly established illness.
    """

    giver: str
    holder: str
    consecutive_sittings: int = 1
    illness: bool = False


def validate_proxies(proxies: Iterable[Proxy], present: Collection[str],
                     sitting_on: date | None = None) -> tuple[str, ...]:
    """French errors of the proxies of one sitting (CGCT L2121-20); () when all are valid.

    Members are compared by id: resolve spellings ("AZÉROT" / "AZEROT") beforehand.
    """
    proxies = tuple(proxies)
    longest = legal_value("procuration_seances_consecutives", sitting_on or LATEST).value
    errors = []
    for proxy in proxies:
        errors.extend(_proxy_errors(proxy, present, longest))
    for holder, count in Counter(p.holder for p in proxies).items():
        if count > 1:
            errors.append(f"{holder} détient {count} procurations ; un conseiller ne peut en "
                          "détenir qu'une seule (CGCT L2121-20).")
    for giver, count in Counter(p.giver for p in proxies).items():
        if count > 1:
            errors.append(f"{giver} a donné {count} procurations pour la même séance.")
    return tuple(errors)


def _proxy_errors(proxy: Proxy, present: Collection[str], longest: int) -> list[str]:
    if proxy.consecutive_sittings < 1:
        raise DomainError("Une procuration couvre au moins une séance.")
    errors = []
    if proxy.giver == proxy.holder:
        errors.append(f"{proxy.giver} ne peut pas se donner procuration à lui-même.")
    if proxy.giver in present:
        errors.append(f"{proxy.giver} est présent(e) : sa procuration ne peut pas être comptée.")
    if proxy.holder not in present:
        errors.append(f"Le mandataire {proxy.holder} n'est pas présent : la procuration de "
                      f"{proxy.giver} ne peut pas être exercée.")
    if proxy.consecutive_sittings > longest and not proxy.illness:
        errors.append(
            f"La procuration de {proxy.giver} couvre {proxy.consecutive_sittings} séances "
            f"consécutives ; au-delà de {longest}, seule une maladie "
            "dûment constatée le permet (CGCT L2121-20).")
    return errors


# --- Vote mode --------------------------------------------------------------------------


class VoteMode(Enum):
    PUBLIC = "main_levee"
    ROLL_CALL = "scrutin_public"
    SECRET = "scrutin_secret"

    @property
    def label(self) -> str:
        return _VOTE_MODE_LABELS[self]


_VOTE_MODE_LABELS = {
    VoteMode.PUBLIC: "vote à main levée",
    VoteMode.ROLL_CALL: "scrutin public (appel nominal, noms et sens des votes au registre)",
    VoteMode.SECRET: "scrutin secret",
}


def vote_mode(
    members_present: int,
    *,
    withdrawn: int = 0,
    roll_call_requests: int = 0,
    secret_requests: int = 0,
    appointment: bool = False,
    unanimous_waiver: bool = False,
) -> VoteMode:
    """How an item is voted (CGCT L2121-21).

    Roll-call public vote when a quarter of the members present ask; secret ballot
    when a third ask, or for an appointment (nomination or présentation) unless the
    council decided unanimously not to. When both are asked the secret ballot wins.
    The members present are counted as for the quorum: those who withdrew for a
    personal interest in the item take no part in it, so neither ask nor count.
    """
    counted = counted_present(members_present, withdrawn)
    for requests in (roll_call_requests, secret_requests):
        _require_count(requests, "Demandes")
        if requests > counted:
            raise DomainError(f"{requests} demandes pour {_present_label(counted, withdrawn)}.")
    if secret_requests and 3 * secret_requests >= counted:
        return VoteMode.SECRET
    if appointment and not unanimous_waiver:
        return VoteMode.SECRET
    if roll_call_requests and 4 * roll_call_requests >= counted:
        return VoteMode.ROLL_CALL
    return VoteMode.PUBLIC


def _present_label(counted: int, withdrawn: int) -> str:
    if not withdrawn:
        return f"{counted} membres présents"
    return f"{counted} membres présents comptés ({withdrawn} retirés pour intérêt personnel)"


# --- Majority ---------------------------------------------------------------------------


class Choice(Enum):
    FOR = "pour"
    AGAINST = "contre"
    ABSTAIN = "abstention"


@dataclass(frozen=True)
class VoteResult:
    votes_for: int
    votes_against: int
    abstentions: int
    votes_cast: int
    majority_required: int
    adopted: bool
    casting_vote_used: bool
    unanimous: bool
    message: str


def count_votes(
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
    *,
    mode: VoteMode = VoteMode.PUBLIC,
    president_vote: Choice | None = None,
    voting_members: int | None = None,
) -> VoteResult:
    """Absolute majority of the votes cast (CGCT L2121-20).

    Abstentions (and blank or spoilt ballots) are not votes cast. On a tie the
    président's vote decides, except in a secret ballot where the motion falls.
    """
    for value, what in ((votes_for, "Votes pour"), (votes_against, "Votes contre"),
                        (abstentions, "Abstentions")):
        _require_count(value, what)
    if voting_members is not None and votes_for + votes_against + abstentions > voting_members:
        raise DomainError(f"{votes_for + votes_against + abstentions} votes pour "
                          f"{voting_members} votants.")
    cast = votes_for + votes_against
    required = cast // 2 + 1
    casting = cast > 0 and votes_for == votes_against and mode is not VoteMode.SECRET
    if casting:
        adopted = _casting_vote(president_vote, votes_for, votes_against)
    else:
        adopted = cast > 0 and votes_for >= required
    unanimous = adopted and votes_against == 0 and abstentions == 0
    message = _vote_message(votes_for, votes_against, abstentions, adopted, casting, mode)
    return VoteResult(votes_for, votes_against, abstentions, cast, required, adopted,
                      casting, unanimous, message)


def _casting_vote(president_vote: Choice | None, votes_for: int, votes_against: int) -> bool:
    if president_vote is None:
        raise DomainError("Partage égal des voix : indiquez le vote du président, dont la "
                          "voix est prépondérante (CGCT L2121-20).")
    if president_vote is Choice.ABSTAIN:
        return False  # a président who abstains has no vote to cast in the balance
    return president_vote is Choice.FOR


def _vote_message(votes_for, votes_against, abstentions, adopted, casting, mode) -> str:
    tally = f"{votes_for} pour, {votes_against} contre, {abstentions} abstention(s)"
    if votes_for + votes_against == 0:
        return f"Aucun suffrage exprimé ({tally}) : la délibération n'est pas adoptée."
    if votes_for == votes_against and mode is VoteMode.SECRET:
        return (f"Partage égal des voix au scrutin secret ({tally}) : la délibération "
                "n'est pas adoptée, le président n'a pas de voix prépondérante.")
    outcome = "adoptée" if adopted else "rejetée"
    if casting:
        return f"Partage égal des voix ({tally}) : délibération {outcome}, voix du président prépondérante."
    if adopted and votes_against == 0 and abstentions == 0:
        return f"Délibération adoptée à l'unanimité ({tally})."
    return f"Délibération {outcome} ({tally})."


# --- Convocation ------------------------------------------------------------------------


def convocation_delay_days(inhabitants: int, *, urgency: bool = False, on: date | None = None) -> int:
    """Jours francs between convocation and sitting (CGCT L2121-11, L2121-12).

    3 under 3,500 inhabitants, 5 from 3,500 (with a note de synthèse), at least 1 in
    urgency. For an EPCI (L5211-1), pass the population of its largest member commune:
    it follows the 3,500-and-over rule when one member commune reaches 3,500.
    """
    _require_count(inhabitants, "Nombre d'habitants")
    return legal_value("convocation_jours_francs", on or LATEST, _convocation_case(inhabitants, urgency, on)).value


def is_large_commune(inhabitants: int, on: date | None = None) -> bool:
    """3,500 inhabitants and more: five jours francs and a note de synthèse (CGCT L2121-12)."""
    return inhabitants >= legal_value("seuil_habitants_grande_commune", on or LATEST).value


def _convocation_case(inhabitants: int, urgency: bool, on: date | None) -> str:
    if urgency:
        return "urgence"
    return "3500_habitants_et_plus" if is_large_commune(inhabitants, on) else "moins_de_3500_habitants"


def free_days_between(sent_on: date, sitting_on: date) -> int:
    """Jours francs between two dates: neither the sending day nor the sitting day counts."""
    return max((sitting_on - sent_on).days - 1, 0)


def earliest_sitting_date(sent_on: date, inhabitants: int, *, urgency: bool = False) -> date:
    """First lawful sitting date for a convocation sent on ``sent_on``.

    Saturdays, Sundays and public holidays count as jours francs: nothing is carried.
    """
    return sent_on + timedelta(days=convocation_delay_days(inhabitants, urgency=urgency, on=sent_on) + 1)


def latest_sending_date(sitting_on: date, inhabitants: int, *, urgency: bool = False) -> date:
    """Last day the convocation may be sent for a sitting on ``sitting_on``."""
    return sitting_on - timedelta(days=convocation_delay_days(inhabitants, urgency=urgency, on=sitting_on) + 1)


def check_convocation(
    sent_on: date, sitting_on: date, inhabitants: int, *, urgency: bool = False
) -> str | None:
    """None when the convocation delay is respected, else a French error message."""
    required = convocation_delay_days(inhabitants, urgency=urgency, on=sent_on)
    if sitting_on <= sent_on:
        return (f"La séance du {format_date(sitting_on)} doit être postérieure à l'envoi de la "
                f"convocation ({format_date(sent_on)}).")
    free_days = free_days_between(sent_on, sitting_on)
    if free_days >= required:
        return None
    return (f"Convocation trop tardive : envoyée le {format_date(sent_on)} pour une séance le "
            f"{format_date(sitting_on)}, soit {free_days} jour(s) franc(s) ; il en faut au moins "
            f"{required} ({_delay_basis(inhabitants, urgency, sent_on)}). Séance possible au plus tôt le "
            f"{format_date(earliest_sitting_date(sent_on, inhabitants, urgency=urgency))}.")


def _delay_basis(inhabitants: int, urgency: bool, on: date) -> str:
    case = _convocation_case(inhabitants, urgency, on)
    threshold = f"{legal_value('seuil_habitants_grande_commune', on).value:,}".replace(",", " ")
    label = {"urgence": "urgence", "3500_habitants_et_plus": f"{threshold} habitants et plus",
             "moins_de_3500_habitants": f"moins de {threshold} habitants"}[case]
    return f"{label}, {legal_value('convocation_jours_francs', on, case).source}"


# --- Extract of the register --------------------------------------------------------------


def extract_names_errors(listed_present: int, listed_absent: int, present: int, absent: int) -> tuple[str, ...]:
    """French errors when the extract does not name as many members present and absent as
    the sitting counted; () when it does. The represented members are matched with the
    proxies (:func:`validate_proxies` and the count of proxies)."""
    errors = []
    for listed, counted, what in ((listed_present, present, "présent(s)"), (listed_absent, absent, "absent(s)")):
        _require_count(listed, f"Membres {what} nommés à l'extrait")
        _require_count(counted, f"Membres {what} constatés à la séance")
        if listed != counted:
            errors.append(f"L'extrait nomme {listed} membre(s) {what} ; la séance en a constaté {counted} : "
                          "chaque membre compté doit y figurer nommément, une seule fois.")
    return tuple(errors)


def extract_signature_error(sitting_on: date, signed_on: date) -> str | None:
    """None when the extract is signed on or after the sitting it reports, else why not."""
    if signed_on >= sitting_on:
        return None
    return (f"Extrait signé le {format_date(signed_on)}, avant la séance du {format_date(sitting_on)} : "
            "on ne certifie qu'une délibération votée.")
