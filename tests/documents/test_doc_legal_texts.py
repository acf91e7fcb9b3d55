"""The periods the documents state in words come from the domain's dated data, on the act's
date: the appeal period (legal_delays.json, recours_mois) of the extract and of the rejection
letter, the holder's alerts before the passes expire (issuer_cycles.json) in the specifications.
A later record in the data changes the texts of the acts of its date, not of the earlier ones."""
import copy
import json

import pytest

from workflows.documents import render_document
from workflows.documents.examples import EXAMPLES
from workflows.domain import legal_delays, procurement
from workflows.domain.data_files import package_file

from .conftest import docx_text, normalise

LATER = "2030-01-01"


@pytest.fixture
def later_data(monkeypatch):
    """A three-month appeal and alerts 60, 30 and 7 days before expiry, from 1 January 2030."""
    delays = json.loads(package_file(legal_delays.DEFAULT_FILE))
    delays["records"].append({"rule": "recours_mois", "variant": None, "value": 3, "unit": "mois",
                              "effective_from": LATER, "source": "décret (test)", "confirmed": True})
    records = legal_delays.legal_delays_from_json(json.dumps(delays), "legal_delays.json (test)")
    monkeypatch.setattr(legal_delays, "default_legal_delays", lambda: records)
    issuers = json.loads(package_file(procurement.ISSUER_CYCLES_FILE))
    issuers["cycles"].append(dict(issuers["cycles"][0], effective_from=LATER, expiry_alert_days=[60, 30, 7]))
    cycles = procurement.issuer_cycles_from_json(json.dumps(issuers), "issuer_cycles.json (test)")
    monkeypatch.setattr(procurement, "default_issuer_cycles", lambda: cycles)


def text_of(template, **changes):
    data = copy.deepcopy(EXAMPLES[template])
    data.update(changes)
    return normalise(docx_text(render_document(template, data).content))


@pytest.mark.parametrize("template, date_key", [("extrait_deliberation", "date_publication"),
                                                ("lettre_rejet", "date_envoi")])
def test_the_appeal_period_is_the_one_in_force_on_the_acts_date(later_data, template, date_key):
    assert "délai de deux mois à compter" in text_of(template, **{date_key: "2029-12-31"})
    later = text_of(template, **{date_key: "2030-02-01"})
    assert "délai de trois mois à compter" in later and "deux mois" not in later


def test_the_holders_alerts_are_those_of_the_issuers_cycle(later_data):
    assert "30 jours et 15 jours avant l'échéance" in text_of("cahier_des_charges", date_lancement="2029-06-01")
    assert "60 jours, 30 jours et 7 jours avant l'échéance" in text_of("cahier_des_charges",
                                                                       date_lancement="2030-02-01")
