"""The HTML rendering of a generated .docx (workflows/documents/preview.py): the project's own
templates read like their sheet (centred title, headings, bold amounts, a table, a list), Word's
own constructions too (numbered lists and their levels, merged cells, underline, line and page
breaks), and the document's text is only ever text: escaped, never a tag nor a template."""
import io
import re

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from workflows.documents import preview, render_document
from workflows.documents.examples import EXAMPLES
from workflows.documents.preview import preview_html

HOSTILE = '<script>alert("x")</script> {{ 7 * 7 }} {% if 1 %}oui{% endif %} & <b>gras</b>'


def rendered(template, heading_level=4, **data):
    html, truncated = preview_html(render_document(template, dict(EXAMPLES[template], **data)).content,
                                   heading_level)
    return str(html), truncated


def made(build):
    """A .docx written by python-docx: `build(document)` fills it."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return str(preview_html(buffer.getvalue())[0])


def test_the_anct_convention_reads_like_its_sheet():
    html, truncated = rendered("convention_anct")
    assert not truncated
    # the title block: centred, bold, larger
    assert html.startswith('<p class="al-center"><span class="fs-xl"><strong>CONVENTION DE COFINANCEMENT')
    # the articles are headings under the page's (<h4> below a task page's <h3>), the text justified
    assert '<h4><span class="fs-l"><strong>Article 1 – Objet</strong></span></h4>' in html
    assert len(re.findall(r"<h4>", html)) == 9 and "<h3" not in html
    assert '<p class="al-justify">La présente convention définit' in html
    assert '<p class="al-right"><em>d&#39;une part,</em></p>' in html
    # the budget table, in a labelled focusable scroll region, its amounts right-aligned, the total bold
    table = re.search(r'<div class="table-scroll" role="region" tabindex="0" aria-label="Tableau du document">'
                      r'<table class="doc-table">(.*?)</table></div>', html).group(1)
    assert table.count("<tr>") == 4
    assert '<td><p class="al-right"><strong>216\u202f320,00\u202f€</strong></p></td>' in table
    # the Collectivité's commitments: a bulleted list, four items, one list
    commitments = re.search(r"<ul>(.*?)</ul>", html).group(1)
    assert commitments.count("<li>") == 4 and html.count("<ul>") == 1
    assert '<li><span class="al-justify">acheter les Pass numériques' in commitments
    # the signatures side by side, without borders, room left to sign
    assert '<table class="doc-table borderless">' in html and '<p class="blank"></p>' in html


def test_a_page_reads_its_headings_under_its_own_title():
    html, _truncated = rendered("convention_anct", heading_level=2)
    assert "<h2><span" in html and "<h4" not in html


def test_the_rejection_letter_keeps_its_table_header_and_the_order_its_bold_total():
    html, _truncated = rendered("lettre_rejet")
    assert '<th scope="col">' in html
    html, _truncated = rendered("bon_de_commande")
    assert re.search(r"<td><p class=\"al-right\"><strong>[\d\u202f]+,\d\d\u202f€</strong></p></td>", html)


def test_the_evaluation_report_shows_its_charts_as_pictures():
    html, _truncated = rendered("rapport_evaluation")
    assert html.count('<img src="data:image/png;base64,') == 2


def test_hostile_text_in_the_data_is_escaped_and_never_run():
    html, _truncated = rendered("convention_anct", collectivite=HOSTILE, president=HOSTILE)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "{{ 7 * 7 }}" in html and "{% if 1 %}oui{% endif %}" in html and "49" not in html
    assert "&amp; &lt;b&gt;gras&lt;/b&gt;" in html


def test_word_headings_lists_breaks_and_runs():
    def build(document):
        document.add_heading("Le titre", 0)
        document.add_heading("Premier chapitre", 1)
        document.add_heading("Une section", 2)
        document.add_paragraph("premier point", style="List Number")
        nested = document.add_paragraph("sous-point", style="List Number")
        nested._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 1
        document.add_paragraph("second point", style="List Number")
        document.add_paragraph("une puce", style="List Bullet")
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("souligné").underline = True
        italic = paragraph.add_run(" penché")
        italic.italic = True
        italic.add_break()
        paragraph.add_run("à la ligne")
        before = paragraph.add_run(" puis la page")
        before.add_break(WD_BREAK.PAGE)
        paragraph.add_run("page suivante")
    html = made(build)
    assert "<h4>" in html and "Le titre" in html and "<h5>" in html and "Une section</strong></span></h5>" in html
    assert re.search(r'<ol type="1"><li><span>premier point<ol type="1"><li><span>sous-point</span></li></ol>'
                     r"</li><li><span>second point</span></li></ol><ul><li><span>une puce</span></li></ul>",
                     html.replace("</span><ol", "<ol")), html
    assert ('<p class="al-center"><span class="u">souligné</span><em> penché<br></em>à la ligne puis la page</p>'
            '<div class="page-break" role="separator" aria-label="Saut de page"></div>'
            '<p class="al-center">page suivante</p>') in html


def test_merged_cells_span_their_rows_and_columns():
    def build(document):
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 2)).text = "sur trois colonnes"
        table.cell(1, 0).merge(table.cell(2, 0)).text = "sur deux lignes"
        table.cell(1, 1).text = "seule"
    html = made(build)
    assert '<tr><td colspan="3"><p>sur trois colonnes</p></td></tr>' in html
    assert '<tr><td rowspan="2"><p>sur deux lignes</p></td><td><p>seule</p></td>' in html
    assert html.count("<td") == 1 + 3 + 2


def test_a_very_long_document_is_cut(monkeypatch):
    monkeypatch.setattr(preview, "MAX_BLOCKS", 5)
    content = render_document("convention_anct", EXAMPLES["convention_anct"]).content
    html, truncated = preview_html(content)
    assert truncated and str(html).count("<p") <= 5


@pytest.mark.parametrize("template", ["extrait_deliberation", "reglement_consultation", "bon_de_commande"])
def test_every_tag_opened_is_closed(template):
    html, _truncated = rendered(template)
    for tag in ("p", "table", "tr", "td", "ul", "ol", "li", "div", "strong", "em", "span"):
        assert len(re.findall(rf"<{tag}[ >]", html)) == html.count(f"</{tag}>"), tag
