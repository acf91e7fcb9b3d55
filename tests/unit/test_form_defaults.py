"""The forms are data (bpmn/forms/*.json) and cannot import the domain: the figures they propose
by default are held here to their one home, so that a new dated record or a changed default
fails this test until the form follows it."""
import json
from pathlib import Path

import pytest

from workflows.domain.funding_terms import default_anct_terms
from workflows.domain.money import rate_as_percentage
from workflows.domain.passes import DEFAULT_FACE_VALUE
from workflows.domain.procurement import DEFAULT_ISSUER_FEE_RATE

FORMS = Path(__file__).resolve().parents[2] / "bpmn" / "forms"
LATEST_ANCT = max(default_anct_terms(), key=lambda terms: terms.effective_from)


@pytest.mark.parametrize("form, field, home", [
    ("convention_anct_redaction", "taux_cofinancement_etat_pct", rate_as_percentage(LATEST_ANCT.state_max_share)),
    ("convention_anct_redaction", "part_minimale_public_pic_pct", rate_as_percentage(LATEST_ANCT.pic_min_share)),
    ("estimation_achat", "taux_frais_emetteur_pct", rate_as_percentage(DEFAULT_ISSUER_FEE_RATE)),
    ("estimation_achat", "valeur_cheque", DEFAULT_FACE_VALUE),
])
def test_a_forms_default_is_its_homes_figure(form, field, home):
    schema = json.loads((FORMS / f"{form}.json").read_text("utf-8"))
    assert schema["properties"][field]["default"] == home
