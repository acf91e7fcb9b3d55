"""The ANCT's terms are read from the domain's dated data by the process's checks and
by the convention's text alike: new terms in the data change both."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from workflows.documents import InvalidData, render_document
from workflows.documents.examples import EXAMPLES
from workflows.domain import funding_terms
from workflows.domain.data_files import package_file
from workflows.domain.indicators import check_minimum_purchase, check_pic_share

from .conftest import docx_text

LATER = {  # a later call, as a new decree or call would add it to the data
    "effective_from": "2027-01-01",
    "state_max_share": "0.4",
    "minimum_purchase": "30000.00",
    "pic_min_share": "0.6",
    "source": "Appel à projets « Pass numérique » 2027 (ANCT)",
    "confirmed": True,
}


@pytest.fixture
def later_terms(monkeypatch):
    """The package's data file with a later-dated entry, as the domain's default terms."""
    document = json.loads(package_file(funding_terms.DEFAULT_FILE))
    document["terms"].append(LATER)
    records = funding_terms.anct_terms_from_json(json.dumps(document), "anct_terms.json (test)")
    monkeypatch.setattr(funding_terms, "default_anct_terms", lambda: records)
    return records


def convention(**changes) -> dict:
    data = copy.deepcopy(EXAMPLES["convention_anct"])
    data.update(changes)
    return data


def test_the_terms_in_force_are_those_of_the_date(later_terms):
    earlier, later = funding_terms.anct_terms(date(2026, 12, 31)), funding_terms.anct_terms(date(2027, 1, 1))
    assert (earlier.minimum_purchase, earlier.state_max_share) == (Decimal("20000.00"), Decimal("0.5"))
    assert (later.minimum_purchase, later.state_max_share, later.pic_min_share) == (
        Decimal("30000.00"), Decimal("0.4"), Decimal("0.6"))


def test_a_later_entry_changes_the_indicators_checks_and_the_conventions_text(later_terms):
    later = funding_terms.anct_terms(date(2027, 3, 1))
    assert check_minimum_purchase(Decimal("25000"), funding_terms.anct_terms(date(2026, 6, 1))) is None
    assert "30\u202f000,00\u00a0€" in check_minimum_purchase(Decimal("25000"), later)
    assert not check_pic_share(55, 100, later).met

    # 2,500 passes of 10 EUR: enough under the 2020 call, too few under the later one
    before = docx_text(render_document("convention_anct", convention(nombre_pass=2500)).content)
    assert "achat minimal de 20 000,00 €" in before
    with pytest.raises(InvalidData) as refused:
        render_document("convention_anct", convention(nombre_pass=2500, date_deliberation="2027-03-01"))
    assert str(refused.value) == check_minimum_purchase(Decimal("25000"), later)

    after = docx_text(render_document("convention_anct", convention(date_deliberation="2027-03-01")).content)
    assert "achat minimal de 30 000,00 €" in after
    assert "égale à 40 %" in after and "Au moins 60 % des Pass numériques acquis" in after
    assert "égale à 50 %" in before and "Au moins 50 % des Pass numériques acquis" in before


def test_a_convention_may_still_state_its_own_figures(later_terms):
    stated = convention(date_deliberation="2027-03-01", taux_participation_etat=45, achat_minimum=25000)
    text = docx_text(render_document("convention_anct", stated).content)
    assert "égale à 45 %" in text and "achat minimal de 25 000,00 €" in text
    assert "Au moins 60 % des Pass numériques acquis" in text


def test_no_terms_before_the_first_date_of_effect():
    with pytest.raises(InvalidData, match="Aucune condition de cofinancement de l'ANCT connue au 1er janvier 2018"):
        render_document("convention_anct", convention(date_deliberation="2018-01-01"))


def test_the_processs_check_of_the_draft_follows_the_terms_of_its_date(later_terms):
    """The convention_anct process checks its draft against the terms in force on the draft's
    date (`date_projet_convention_anct`), as the convention's text does."""
    from workflows.model_functions.registry import SCRIPT_FUNCTIONS
    check = SCRIPT_FUNCTIONS["verifier_convention_anct"]
    assert check(25000, 50, 50, "2026-11-02") is None
    refused = check(25000, 50, 50, "2027-03-01")
    assert "30\u202f000,00\u00a0€" in refused and "au plus 40\u00a0%" in refused and "au moins 60\u00a0%" in refused
    assert "Aucune condition" in _refusal(lambda: check(25000, 50, 50, "2018-06-01"))


def _refusal(call):
    from workflows.domain.errors import DomainError
    with pytest.raises(DomainError) as refused:
        call()
    return str(refused.value)


def test_the_evaluations_indicators_follow_the_terms_of_the_conventions_date(later_terms):
    """The evaluation measures the campaign against the terms in force on the convention's date:
    the same campaign meets the 2020 call's terms and misses the later ones."""
    from workflows.model_functions.registry import SCRIPT_FUNCTIONS
    indicators = SCRIPT_FUNCTIONS["calculer_indicateurs"]
    # The ledger's figures: 20 booklets of 10 handed by the CCAS, 11 to the PIC public.
    reports = {"passes_remis": 200, "passes_remis_pic": 110,
               "prescripteurs": {"CCAS": {"beneficiaires": 20, "passes_remis": 200}}}
    redeemed = [{"lieu": "EPN", "passes_encaisses": 100}]
    stock = [{"cheques_par_carnet": 10, "nombre_carnets": 250}]    # 2,500 passes of 10 EUR

    before = indicators(reports, redeemed, stock, 10, None, None, [], "2026-11-02")
    later = indicators(reports, redeemed, stock, 10, None, None, [], "2027-03-01")
    assert (before["objectif_public_pic_atteint"], before["part_etat_due"], before["erreur_achat_minimal"]) == (
        True, 500, None)
    assert (later["objectif_public_pic_atteint"], later["part_etat_due"]) == (False, 400)
    assert "minimum de 30\u202f000,00\u00a0€" in later["erreur_achat_minimal"]
    assert "engagement d'au moins 60\u00a0%" in later["constat_public_pic"]
    # the shares the convention states still prevail over the call's
    assert indicators(reports, redeemed, stock, 10, 50, 50, [], "2027-03-01")["part_etat_due"] == 500


@pytest.mark.parametrize("verb, arguments", [
    ("verifier_convention_anct", (25000, 50, 50, "02/03/2026")),
    ("calculer_indicateurs", ([], [], [], 10, 50, 50, [], "2026-13-01")),
])
def test_a_malformed_convention_date_is_refused_in_french(verb, arguments):
    from workflows.model_functions.registry import SCRIPT_FUNCTIONS
    refusal = _refusal(lambda: SCRIPT_FUNCTIONS[verb](*arguments))
    assert refusal == f"Date invalide : {arguments[-1]!r} (format AAAA-MM-JJ attendu)."
