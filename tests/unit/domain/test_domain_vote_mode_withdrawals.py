"""Vote-mode thresholds (CGCT L2121-21) count the members present as the quorum does:
a member who withdrew for a personal interest in the item is not counted."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.domain.deliberation import VoteMode, check_quorum, counted_present, vote_mode
from workflows.domain.errors import DomainError
from workflows.model_functions.registry import SCRIPT_FUNCTIONS as F

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)


def test_a_third_of_the_members_left_after_withdrawals_imposes_the_secret_ballot():
    # 28 present, 4 withdrawn: 24 counted; 8 is a third of 24, not of 28.
    assert vote_mode(28, secret_requests=8) is VoteMode.PUBLIC
    assert vote_mode(28, withdrawn=4, secret_requests=8) is VoteMode.SECRET
    assert vote_mode(28, withdrawn=4, secret_requests=7) is VoteMode.PUBLIC


def test_a_quarter_of_the_members_left_after_withdrawals_imposes_the_roll_call():
    # 6 is a quarter of 24, not of 28.
    assert vote_mode(28, roll_call_requests=6) is VoteMode.PUBLIC
    assert vote_mode(28, withdrawn=4, roll_call_requests=6) is VoteMode.ROLL_CALL


def test_withdrawn_members_cannot_ask():
    with pytest.raises(DomainError, match="25 demandes pour 24 membres présents comptés "
                                          r"\(4 retirés pour intérêt personnel\)"):
        vote_mode(28, withdrawn=4, secret_requests=25)
    with pytest.raises(DomainError, match="5 membres retirés pour 4 présents"):
        vote_mode(4, withdrawn=5)


@DETERMINISTIC
@given(st.integers(1, 120), st.data())
def test_vote_mode_and_quorum_count_the_same_members(present, data):
    withdrawn = data.draw(st.integers(0, present))
    counted = counted_present(present, withdrawn)
    assert counted == check_quorum(200, present, withdrawn=withdrawn).counted_present
    secret = data.draw(st.integers(0, counted))
    roll_call = data.draw(st.integers(0, counted))
    assert vote_mode(present, withdrawn=withdrawn, secret_requests=secret,
                     roll_call_requests=roll_call) is vote_mode(counted, secret_requests=secret,
                                                                roll_call_requests=roll_call)


def test_the_script_functions_take_the_withdrawn_members():
    assert F["determiner_mode_scrutin"](28, 0, 8, False) == "public"
    assert F["determiner_mode_scrutin"](28, 0, 8, False, 4) == "secret"
    assert F["verifier_mode_scrutin"]("secret", 28, 0, 8, False, 4) is None
    refusal = F["verifier_mode_scrutin"]("public", 28, 0, 8, False, 4)
    assert "8 membre(s) sur 24 présent(s) comptés (28 présents moins 4 retirés" in refusal
    assert "doit avoir lieu au scrutin secret" in refusal
    roll_call = F["verifier_mode_scrutin"]("public", 28, 6, 0, False, 4)
    assert "6 membre(s) sur 24 présent(s) comptés" in roll_call
    assert "appel nominal" in roll_call
