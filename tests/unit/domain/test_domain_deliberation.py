"""Quorum, proxies, majority, vote modes and convocation delays (CGCT)."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.deliberation import (
    Attendance,
    Choice,
    Proxy,
    VoteMode,
    check_convocation,
    check_quorum,
    check_reconvocation,
    convocation_delay_days,
    count_votes,
    earliest_reconvened_sitting,
    earliest_sitting_date,
    free_days_between,
    latest_sending_date,
    quorum_required,
    validate_proxies,
    vote_mode,
)
from workflows.domain.errors import DomainError

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)

# The seed: CAP Nord Martinique, conseil communautaire of 27 April 2023, item CC-04-2023-095.
SEED_PRESENT = [
    "Patricia Athanase PALMONT", "Thierry MARÉCHAL", "George GÉLIE", "Annick COMIER",
    "Gilbert COUTURIER", "Kristelle RISAL", "Jonathan TABAR", "Olivier JEAN-DENIS",
    "Joseph PÉRASTE", "Charles CARISTAN", "Jean-Christophe BOULANGÉ", "Claude Rémy HARNAIS",
    "Claude BELLUNE", "Maryse ALSIF épouse RANGOLY", "Christian VERNEUIL", "Georgette RANGOLY",
    "Belfort BIROTA", "Robert DULYMOIS", "Sylvain HOCHÉ", "Bruno Nestor AZÉROT",
    "Fabienne LABRANCHE-GROUGI", "Violaine DIAZ", "Jean-Hugues MOMPHELE", "Josette MASSOLIN",
    "Patrick BONIFACE", "Paulette RAPON", "Patricia Marie GUION-FIRMIN", "Annick CHARLEC",
]
# Holders as spelled in the list of those present: the extract itself writes
# "Patricia PALMONT", "Bruno Nestor AZEROT" and "Patricia GUION-FIRMIN" in its proxy list.
SEED_PROXIES = [
    ("Lucien SAINT-JEAN-THÉRÈSE", "Patricia Athanase PALMONT"),
    ("Stéphane LORDELOT", "Kristelle RISAL"),
    ("Sylvie PALCY", "Jonathan TABAR"),
    ("Justin PAMPHILE", "Olivier JEAN-DENIS"),
    ("Jenny DULYS-PETIT", "Charles CARISTAN"),
    ("Joël Christine LINORD", "Christian VERNEUIL"),
    ("Jean-Baptiste ROTSEN", "Jean-Hugues MOMPHELE"),
    ("Sarah ANGAMA", "Bruno Nestor AZÉROT"),
    ("Frédéric BUVAL", "Paulette RAPON"),
    ("Christian PALIN", "Patricia Marie GUION-FIRMIN"),
]
SEED_ABSENT = [
    "Maurice BONTÉ", "Marie-Thérèse CASIMIRIUS", "Félix ISMAIN", "Jean-Louis MARIE-LOUISE",
    "Pamela PATRON", "Sainte-Rose CAKIN", "Germain DUTON", "Gwladys COLER",
    "Farell FRANCOIS-HAUGRIN", "Laura LITADIER épouse VILLET", "Chantal MAIGNAN",
    "Saint-Yves RANGOM", "Christian RAPHA", "Rose-Marie GÉNOT-PLESDIN",
    "Jean-Michel Ulrich COTRÉBIL",
]


# --- the seed sitting -------------------------------------------------------------------


def test_seed_lists_match_the_counts_of_the_extract():
    attendance = Attendance(in_office=53, present=len(SEED_PRESENT), represented=len(SEED_PROXIES))
    assert (attendance.present, attendance.represented) == (28, 10)
    assert attendance.voting == 38
    assert attendance.absent == len(SEED_ABSENT) == 15


def test_seed_quorum_is_27_and_reached_by_28_present():
    check = check_quorum(53, 28)
    assert check.required == 27
    assert check.reached
    assert check.message.startswith("Quorum atteint : 28 membres présents pour 27 requis")


def test_seed_proxies_are_valid():
    proxies = [Proxy(giver, holder) for giver, holder in SEED_PROXIES]
    assert validate_proxies(proxies, SEED_PRESENT) == ()


def test_seed_vote_38_for_is_adopted_unanimously():
    result = count_votes(38, 0, 0, voting_members=Attendance(53, 28, 10).voting)
    assert result.adopted and result.unanimous
    assert result.votes_cast == 38
    assert result.majority_required == 20
    assert "unanimité" in result.message


def test_seed_convocation_of_19_april_for_27_april_is_in_time():
    # CAP Nord counts communes of 3,500 inhabitants and more: 5 jours francs (L5211-1).
    assert free_days_between(date(2023, 4, 19), date(2023, 4, 27)) == 7
    assert check_convocation(date(2023, 4, 19), date(2023, 4, 27), 100_000) is None


# --- quorum -----------------------------------------------------------------------------


@pytest.mark.parametrize("in_office, required", [(1, 1), (2, 2), (3, 2), (4, 3), (53, 27), (54, 28)])
def test_quorum_required(in_office, required):
    assert quorum_required(in_office) == required


def test_proxies_do_not_make_quorum():
    # 26 present holding 10 proxies: 36 votes, but only 26 bodies in the room.
    assert Attendance(53, 26, 10).voting == 36
    check = check_quorum(53, 26)
    assert not check.reached
    assert "Quorum non atteint" in check.message
    assert "procurations ne comptent pas" in check.message


def test_member_withdrawn_for_personal_interest_is_not_counted():
    assert check_quorum(53, 27).reached
    check = check_quorum(53, 27, withdrawn=1)
    assert check.counted_present == 26
    assert not check.reached


def test_reconvened_sitting_needs_no_quorum():
    check = check_quorum(53, 4, reconvened=True)
    assert check.reached
    assert "quel que soit le nombre de présents" in check.message


@pytest.mark.parametrize("present, withdrawn", [(54, 0), (10, 11), (-1, 0)])
def test_impossible_quorum_counts_are_refused(present, withdrawn):
    with pytest.raises(DomainError):
        check_quorum(53, present, withdrawn=withdrawn)


def test_attendance_refuses_more_proxies_than_holders():
    with pytest.raises(DomainError, match="qu'une procuration"):
        Attendance(53, 5, 6)


@DETERMINISTIC
@given(st.integers(1, 500), st.data())
def test_quorum_is_the_smallest_strict_majority(in_office, data):
    required = quorum_required(in_office)
    assert 2 * required > in_office >= 2 * (required - 1)
    present = data.draw(st.integers(0, in_office))
    assert check_quorum(in_office, present).reached == (present >= required)


# --- reconvocation ----------------------------------------------------------------------


def test_reconvened_sitting_after_three_jours_francs():
    # Quorum fails on Monday 5 June 2023, convocations sent the same day.
    assert earliest_reconvened_sitting(date(2023, 6, 5), date(2023, 6, 5)) == date(2023, 6, 9)
    errors = check_reconvocation(date(2023, 6, 5), date(2023, 6, 5), date(2023, 6, 8),
                                 ["Pass numérique"], ["Pass numérique"])
    assert len(errors) == 1 and "au plus tôt le 9 juin 2023" in errors[0]
    assert check_reconvocation(date(2023, 6, 5), date(2023, 6, 5), date(2023, 6, 9),
                               ["Pass numérique"], ["Pass numérique"]) == ()


def test_reconvened_sitting_keeps_the_same_items_only():
    errors = check_reconvocation(date(2023, 6, 5), date(2023, 6, 6), date(2023, 6, 12),
                                 ["Pass numérique", "Budget"], ["Pass numérique", "Tarifs piscine"])
    assert errors == ("Le point « Tarifs piscine » ne figurait pas à l'ordre du jour de la séance "
                      "du 5 juin 2023 : sans quorum, le conseil ne peut délibérer que sur les "
                      "mêmes points.",)


def test_reconvocation_cannot_precede_the_failed_sitting():
    with pytest.raises(DomainError):
        earliest_reconvened_sitting(date(2023, 6, 5), date(2023, 6, 4))


# --- proxies ----------------------------------------------------------------------------


def test_holder_may_hold_one_proxy_only():
    errors = validate_proxies([Proxy("A", "H"), Proxy("B", "H")], present={"H"})
    assert errors == ("H détient 2 procurations ; un conseiller ne peut en détenir qu'une seule "
                      "(CGCT L2121-20).",)


def test_proxy_beyond_three_consecutive_sittings_needs_illness():
    assert validate_proxies([Proxy("A", "H", consecutive_sittings=3)], {"H"}) == ()
    errors = validate_proxies([Proxy("A", "H", consecutive_sittings=4)], {"H"})
    assert len(errors) == 1 and "maladie dûment constatée" in errors[0]
    assert validate_proxies([Proxy("A", "H", consecutive_sittings=4, illness=True)], {"H"}) == ()


def test_proxy_to_an_absent_or_misspelt_holder_is_flagged():
    # The extract writes "AZEROT" in the proxy list, "AZÉROT" among those present:
    # ids must be resolved before validation, and an unresolved one is caught.
    errors = validate_proxies([Proxy("Sarah ANGAMA", "Bruno Nestor AZEROT")], SEED_PRESENT)
    assert errors == ("Le mandataire Bruno Nestor AZEROT n'est pas présent : la procuration de "
                      "Sarah ANGAMA ne peut pas être exercée.",)


def test_present_giver_and_self_proxy_are_flagged():
    errors = validate_proxies([Proxy("H", "H")], {"H"})
    assert any("à lui-même" in e for e in errors)
    assert any("est présent(e)" in e for e in errors)


# --- majority ---------------------------------------------------------------------------


def test_abstentions_are_not_votes_cast():
    result = count_votes(10, 9, 20)
    assert result.votes_cast == 19 and result.majority_required == 10
    assert result.adopted and not result.unanimous


def test_rejected_when_against_wins():
    result = count_votes(9, 10, 0)
    assert not result.adopted
    assert result.message == "Délibération rejetée (9 pour, 10 contre, 0 abstention(s))."


@pytest.mark.parametrize("president, adopted", [(Choice.FOR, True), (Choice.AGAINST, False),
                                                (Choice.ABSTAIN, False)])
def test_tie_decided_by_the_president(president, adopted):
    result = count_votes(12, 12, 3, president_vote=president)
    assert result.casting_vote_used
    assert result.adopted is adopted


def test_tie_without_the_president_vote_is_refused():
    with pytest.raises(DomainError, match="voix est prépondérante"):
        count_votes(12, 12)


def test_tie_in_secret_ballot_is_not_adopted():
    result = count_votes(12, 12, mode=VoteMode.SECRET, president_vote=Choice.FOR)
    assert not result.adopted and not result.casting_vote_used
    assert "scrutin secret" in result.message


def test_no_vote_cast_adopts_nothing():
    result = count_votes(0, 0, 38)
    assert not result.adopted
    assert result.message.startswith("Aucun suffrage exprimé")


def test_more_votes_than_voters_is_refused():
    with pytest.raises(DomainError, match="39 votes pour 38 votants"):
        count_votes(39, 0, voting_members=38)


@DETERMINISTIC
@given(st.integers(0, 200), st.integers(0, 200), st.integers(0, 50),
       st.sampled_from(list(VoteMode)), st.sampled_from(list(Choice)))
def test_majority_of_votes_cast(votes_for, against, abstentions, mode, president):
    result = count_votes(votes_for, against, abstentions, mode=mode, president_vote=president)
    if votes_for != against:
        assert result.adopted == (votes_for > against)
    elif mode is VoteMode.SECRET or votes_for == 0:
        assert not result.adopted
    else:
        assert result.adopted == (president is Choice.FOR)


# --- vote modes -------------------------------------------------------------------------


def test_vote_modes_on_28_present():
    assert vote_mode(28) is VoteMode.PUBLIC
    assert vote_mode(28, roll_call_requests=6) is VoteMode.PUBLIC  # 6/28 < 1/4
    assert vote_mode(28, roll_call_requests=7) is VoteMode.ROLL_CALL
    assert vote_mode(28, secret_requests=9) is VoteMode.PUBLIC  # 9/28 < 1/3
    assert vote_mode(28, secret_requests=10) is VoteMode.SECRET
    assert vote_mode(28, roll_call_requests=10, secret_requests=10) is VoteMode.SECRET


def test_appointments_are_secret_unless_unanimously_waived():
    assert vote_mode(28, appointment=True) is VoteMode.SECRET
    assert vote_mode(28, appointment=True, unanimous_waiver=True) is VoteMode.PUBLIC


@DETERMINISTIC
@given(st.integers(1, 120), st.data())
def test_vote_mode_thresholds(present, data):
    roll_call = data.draw(st.integers(0, present))
    secret = data.draw(st.integers(0, present))
    mode = vote_mode(present, roll_call_requests=roll_call, secret_requests=secret)
    if secret > 0 and secret * 3 >= present:
        assert mode is VoteMode.SECRET
    elif roll_call > 0 and roll_call * 4 >= present:
        assert mode is VoteMode.ROLL_CALL
    else:
        assert mode is VoteMode.PUBLIC


# --- convocation ------------------------------------------------------------------------


@pytest.mark.parametrize("inhabitants, urgency, days", [
    (0, False, 3), (3_499, False, 3), (3_500, False, 5), (120_000, False, 5),
    (800, True, 1), (120_000, True, 1),
])
def test_convocation_delay(inhabitants, urgency, days):
    assert convocation_delay_days(inhabitants, urgency=urgency) == days


def test_earliest_sitting_in_jours_francs():
    # Sent Monday 3 April 2023: Tue, Wed, Thu are the 3 jours francs -> Friday 7.
    assert earliest_sitting_date(date(2023, 4, 3), 2_000) == date(2023, 4, 7)
    # 5 jours francs: Tue..Sat -> Sunday 9 April; weekends are counted, nothing carried.
    assert earliest_sitting_date(date(2023, 4, 3), 5_000) == date(2023, 4, 9)
    assert earliest_sitting_date(date(2023, 4, 3), 5_000, urgency=True) == date(2023, 4, 5)
    assert latest_sending_date(date(2023, 4, 27), 100_000) == date(2023, 4, 21)


def test_late_convocation_gives_a_french_message():
    message = check_convocation(date(2023, 4, 22), date(2023, 4, 27), 100_000)
    assert message == (
        "Convocation trop tardive : envoyée le 22 avril 2023 pour une séance le 27 avril 2023, "
        "soit 4 jour(s) franc(s) ; il en faut au moins 5 (3 500 habitants et plus, CGCT art. "
        "L2121-12). Séance possible au plus tôt le 28 avril 2023.")
    assert check_convocation(date(2023, 4, 21), date(2023, 4, 27), 100_000) is None


def test_sitting_before_the_convocation_is_refused():
    message = check_convocation(date(2023, 4, 27), date(2023, 4, 27), 1_000, urgency=True)
    assert message.startswith("La séance du 27 avril 2023 doit être postérieure")


@DETERMINISTIC
@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 10_000), st.booleans(),
       st.integers(-3, 12))
def test_convocation_check_agrees_with_earliest_date(sent_on, inhabitants, urgency, offset):
    earliest = earliest_sitting_date(sent_on, inhabitants, urgency=urgency)
    assert free_days_between(sent_on, earliest) == convocation_delay_days(inhabitants, urgency=urgency)
    sitting = earliest + timedelta(days=offset)
    ok = check_convocation(sent_on, sitting, inhabitants, urgency=urgency) is None
    assert ok == (offset >= 0)
