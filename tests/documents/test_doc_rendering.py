"""The sandbox: malicious templates refused, undefined variables fail, values escaped."""

import io

import docx
import pytest

from workflows.documents.errors import TemplateSecurityError, UndefinedVariable
from workflows.documents.rendering import Image, render_docx

from .conftest import docx_parts


def template_with(body: str = "", header: str = "", footer: str = "") -> bytes:
    """A .docx built here, so the test shows exactly what the template holds."""
    document = docx.Document()
    document.add_paragraph(body)
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = footer
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@pytest.mark.parametrize("attack", [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ collectivite['__cl' ~ 'ass__'] }}",
    "{{ collectivite|attr('__class__') }}",
    "{{ namespace._Namespace__attrs }}",
])
def test_malicious_template_is_refused(attack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TemplateSecurityError) as refused:
        render_docx(template_with(attack), {"collectivite": "CAP Nord"}, "piege.docx")
    assert "« piege.docx »" in str(refused.value)
    assert "refusé pour raison de sécurité" in str(refused.value)
    assert not (tmp_path / "MARKER").exists()


def test_attack_in_a_footer_is_refused_too():
    with pytest.raises(TemplateSecurityError, match="__init__"):
        render_docx(template_with(footer="{{ cycler.__init__ }}"), {}, "pied")


def test_undefined_variable_fails_with_its_name():
    with pytest.raises(UndefinedVariable) as failed:
        render_docx(template_with("{{ collectivite }} {{ date_seance }}"),
                    {"collectivite": "CAP Nord"}, "extrait")
    assert "'date_seance' is undefined" in str(failed.value)
    assert "« extrait »" in str(failed.value)


def test_undefined_value_given_to_a_filter_fails_as_undefined():
    with pytest.raises(UndefinedVariable, match="montant_total"):
        render_docx(template_with("{{ montant_total|montant }}"), {}, "bon")


def test_undefined_variable_in_header_fails():
    with pytest.raises(UndefinedVariable, match="collectivite"):
        render_docx(template_with("texte", header="{{ collectivite }}"), {}, "entete")


def test_values_with_markup_characters_render_as_text():
    content = render_docx(
        template_with("{{ a }}", header="{{ b }}", footer="{{ c|montant }}"),
        {"a": "Chèques & Services <Caraïbes>", "b": "R&D < 3", "c": 208000}, "echappement",
    )
    parts = docx_parts(content)
    assert parts["body"] == "Chèques & Services <Caraïbes>"
    assert parts["header"] == "R&D < 3"
    assert parts["footer"] == "208\u202f000,00\u202f€"


def test_table_row_loop_and_filters_in_the_sandbox():
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for p in presents %}"
    table.cell(1, 0).text = "{{ loop.index }}"
    table.cell(1, 1).text = "{{ p }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    output = io.BytesIO()
    document.save(output)
    content = render_docx(output.getvalue(), {"presents": ["A", "B", "C"]}, "boucle")
    table = docx.Document(io.BytesIO(content)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["1", "A"], ["2", "B"], ["3", "C"]]


def test_images_from_builders_become_inline_pictures():
    from workflows.documents.charts import bar_chart

    png = bar_chart("Essai", ["CCAS", "PLIE"], {"Pass distribués": [10, 20]})
    assert png.startswith(b"\x89PNG")
    content = render_docx(template_with("{{ graphique }}"), {"graphique": Image(png, 80)}, "img")
    assert len(docx.Document(io.BytesIO(content)).inline_shapes) == 1
