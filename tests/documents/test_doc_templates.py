"""Every template rendered with realistic data, read back with python-docx;
the static check of template variables; the committed .docx up to date."""

import importlib.util
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from workflows.documents import TemplateRegistry, check_templates, render_document
from workflows.documents.examples import EXAMPLES, PRESENTS, REPRESENTES

from .conftest import docx_parts, docx_text, normalise, table_rows
from .mentions import CAP_NORD, MANDATORY

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def test_every_registered_template_has_a_file_examples_and_mentions(registry):
    assert set(registry.names()) == set(EXAMPLES) == set(MANDATORY)
    for spec in registry:
        assert spec.path.is_file(), spec.path
        assert len(spec.version) == 64


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_rendered_document_shows_its_mandatory_mentions(name, rendered):
    text = docx_text(rendered[name].content)
    missing = [mention for mention in MANDATORY[name] if normalise(mention) not in text]
    assert not missing, f"{name} : mentions absentes {missing}"


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_header_and_footer_name_the_collectivite(name, rendered):
    parts = docx_parts(rendered[name].content)
    assert CAP_NORD in parts["header"]
    assert CAP_NORD in parts["footer"]
    assert "{{" not in parts["footer"] + parts["header"] + parts["body"]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_rendered_document_records_what_it_was_made_from(name, rendered, registry):
    document = rendered[name]
    assert document.template_version == registry.get(name).version
    assert document.data is EXAMPLES[name]
    assert len(document.sha256) == 64
    assert document.content[:2] == b"PK"


def test_extract_figures_and_names_from_the_seed(rendered):
    content = rendered["extrait_deliberation"].content
    rows = table_rows(content)
    for label, figure in [("Membres en exercice", "53"), ("Membres présents", "28"),
                          ("Membres représentés", "10"), ("Votants", "38"),
                          ("Quorum", "27 – atteint")]:
        assert [label, figure] in rows
    assert ["38", "38", "0", "0", "0", "38"] in rows  # votants, pour, contre, abst., NV, SE
    cells = {cell for row in rows for cell in row}
    assert set(PRESENTS) <= cells
    for proxy in REPRESENTES:
        assert [proxy["mandant"], proxy["mandataire"]] in rows


def test_amounts_use_narrow_no_break_spaces(rendered):
    body = docx_parts(rendered["convention_anct"].content)["body"]
    assert "208\u202f000,00\u202f€ (deux cent huit mille euros)" in body


def test_rejection_letter_without_formal_procedure_has_no_standstill():
    data = dict(EXAMPLES["lettre_rejet"], procedure_formalisee=False, procedure="MAPA")
    text = docx_text(render_document("lettre_rejet", data).content)
    assert "Délai de suspension" not in text
    assert "recours en contestation de la validité du contrat" in text


def test_extract_leaves_blanks_until_publication_and_receipt():
    data = {k: v for k, v in EXAMPLES["extrait_deliberation"].items()
            if k not in ("date_publication", "date_reception_prefecture", "absents")}
    text = docx_text(render_document("extrait_deliberation", data).content)
    assert "sa publication le …………………… ;" in text
    assert "Étaient absents ou excusés (0) : Néant." in text


def test_evaluation_report_holds_two_charts(rendered):
    document = docx.Document(io.BytesIO(rendered["rapport_evaluation"].content))
    assert len(document.inline_shapes) == 2


def test_template_check_finds_no_gap():
    report = check_templates()
    assert report.ok, report.as_text()
    assert len(report.templates) == len(EXAMPLES)
    extract = next(c for c in report.templates if c.name == "extrait_deliberation")
    assert {"collectivite", "reference", "presents_colonnes", "vote"} <= extract.variables


def _copy_templates_with(tmp_path: Path, name: str, document: docx.Document) -> TemplateRegistry:
    for path in TEMPLATES_DIR.glob("*.docx"):
        shutil.copy(path, tmp_path)
    document.save(tmp_path / f"{name}.docx")
    return TemplateRegistry(tmp_path)


def test_template_check_reports_an_unknown_variable_in_a_footer(tmp_path):
    document = docx.Document()
    document.add_paragraph("{{ collectivite }} – {{ numero_commande }}")
    document.sections[0].footer.paragraphs[0].text = "{{ variable_inconnue }}"
    report = check_templates(_copy_templates_with(tmp_path, "bon_de_commande", document))
    assert not report.ok
    failed = [check for check in report.templates if not check.ok]
    assert [(c.name, c.unknown) for c in failed] == [("bon_de_commande", {"variable_inconnue"})]
    assert "variables non fournies par le constructeur de contexte : variable_inconnue" in (
        report.as_text())


def test_template_check_reports_private_attributes_and_syntax_errors(tmp_path):
    document = docx.Document()
    document.add_paragraph("{% if collectivite %}")
    document.sections[0].header.paragraphs[0].text = "{{ collectivite.__class__ }}"
    report = check_templates(_copy_templates_with(tmp_path, "lettre_rejet", document))
    [failed] = [check for check in report.templates if not check.ok]
    assert failed.forbidden == {"__class__"}
    assert any("syntaxe invalide" in error for error in failed.errors)


def test_committed_templates_match_the_generator(tmp_path):
    spec = importlib.util.spec_from_file_location("templates_build", TEMPLATES_DIR / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for fresh in build.build_all(tmp_path):
        committed = zipfile.ZipFile(TEMPLATES_DIR / fresh.name)
        generated = zipfile.ZipFile(fresh)
        assert committed.namelist() == generated.namelist()
        stale = [n for n in committed.namelist() if committed.read(n) != generated.read(n)]
        assert not stale, f"{fresh.name} : relancer python templates/build.py ({stale})"
