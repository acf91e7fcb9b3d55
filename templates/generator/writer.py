"""python-docx helpers to write docxtpl templates: styled paragraphs with
**bold** markup, paragraph and table-row loops, header and footer, signatures.

Only used by build.py; the generated .docx files are what the application reads.
"""

import re
from datetime import datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Carlito"
BLUE = RGBColor(0x1F, 0x4E, 0x79)
SHADE = "DCE6F1"
FIXED_DATE = datetime(2025, 1, 1)  # reproducible builds: no "now" in core properties
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _set_default_font(document) -> None:
    """Carlito and French everywhere: the default template points at theme fonts
    (Calibri, absent here) which would override a plain font name."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_properties.find(qn("w:rFonts"))
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), "fr-FR")


def _shade(cell, colour: str = SHADE) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _add_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _clear_tab_stops(style) -> None:
    """The default Header/Footer styles put a centre tab stop mid-page that
    swallows our right-aligned label when the collectivité's name is long."""
    properties = style.element.pPr
    tabs = properties.find(qn("w:tabs")) if properties is not None else None
    if tabs is not None:
        properties.remove(tabs)


def _repeat_as_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


class TemplateWriter:
    """One template being written. Methods return the paragraph or table added."""

    def __init__(self, title: str, header_label: str):
        self.document = Document()
        self.title = title
        _set_default_font(self.document)
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(4)
        for style_name in ("Header", "Footer"):
            _clear_tab_stops(self.document.styles[style_name])
        self._setup_page(header_label)
        properties = self.document.core_properties
        properties.title, properties.author, properties.language = title, "Conventio", "fr-FR"
        properties.created = properties.modified = FIXED_DATE
        properties.last_modified_by, properties.revision = "Conventio", 1

    def _setup_page(self, header_label: str) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        right_edge = section.page_width - section.left_margin - section.right_margin
        header = section.header.paragraphs[0]
        header.paragraph_format.tab_stops.add_tab_stop(right_edge, WD_TAB_ALIGNMENT.RIGHT)
        self.runs(header, "**{{ collectivite }}**\t" + header_label, size=8.5, colour=BLUE)
        footer = section.footer.paragraphs[0]
        footer.paragraph_format.tab_stops.add_tab_stop(right_edge, WD_TAB_ALIGNMENT.RIGHT)
        self.runs(footer, "{{ collectivite }} – {{ reference }}\tPage ", size=8)
        _add_field(footer, "PAGE")
        self.runs(footer, " / ", size=8)
        _add_field(footer, "NUMPAGES")

    # -- text ------------------------------------------------------------------
    @staticmethod
    def runs(paragraph, text: str, bold=False, italic=False, size=None, colour=None):
        """Add `text` to `paragraph`; `**...**` toggles bold. Jinja tags stay whole."""
        for index, chunk in enumerate(re.split(r"\*\*", text)):
            if not chunk:
                continue
            run = paragraph.add_run(chunk)
            run.bold = bold or index % 2 == 1
            run.italic = italic or None
            if size:
                run.font.size = Pt(size)
            if colour:
                run.font.color.rgb = colour
        return paragraph

    def para(self, text: str = "", align=JUSTIFY, bold=False, italic=False, size=None,
             space_before=0, keep_with_next=False, indent_mm=0, style=None):
        paragraph = self.document.add_paragraph(style=style)
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.keep_with_next = keep_with_next
        if indent_mm:
            paragraph.paragraph_format.left_indent = Mm(indent_mm)
        return self.runs(paragraph, text, bold=bold, italic=italic, size=size)

    def title_block(self, *lines: str, size=15):
        for line in lines:
            self.para(line, align=CENTER, bold=True, size=size)
            size = max(size - 2, 11)
        self.para("")

    def heading(self, text: str):
        paragraph = self.para(text, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, size=11.5,
                              space_before=10, keep_with_next=True)
        for run in paragraph.runs:
            run.font.color.rgb = BLUE
        return paragraph

    def bullet(self, text: str):
        return self.para(text, style="List Bullet")

    def tag(self, statement: str):
        """A docxtpl paragraph tag: `{%p statement %}`, removed at render."""
        return self.document.add_paragraph("{%p " + statement + " %}")

    def loop(self, statement: str, text: str, bullet=False, **para_options):
        self.tag(statement)
        added = self.bullet(text) if bullet else self.para(text, **para_options)
        self.tag("endfor")
        return added

    # -- tables ----------------------------------------------------------------
    def _table(self, columns: int, widths_mm=None, borders=True):
        table = self.document.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if not borders:
            _no_borders(table)
        if widths_mm:  # LibreOffice reads the grid, Word the cells: set both
            table.autofit = False
            for column, width in zip(table.columns, widths_mm, strict=True):
                column.width = Mm(width)
        self._widths = widths_mm
        return table

    def _row(self, table, texts, bold=False, shade=False, size=9.5, align=None):
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            if self._widths:
                cell.width = Mm(self._widths[index])
            paragraph = cell.paragraphs[0]
            if align and index > 0:
                paragraph.alignment = align
            self.runs(paragraph, text, bold=bold, size=size)
            if shade:
                _shade(cell)
        return cells

    def loop_table(self, headers, loop: str, cells, widths_mm=None, totals=None, align=None):
        """Header row, then one row per item (`{%tr for ... %}`), then totals."""
        table = self._table(len(headers), widths_mm)
        header_cells = self._row(table, headers, bold=True, shade=True)
        _repeat_as_header(table.rows[0])
        if all(header == "" for header in headers[1:]):  # one title over the columns
            header_cells[0].merge(header_cells[-1])
        self._row(table, ["{%tr " + loop + " %}"] + [""] * (len(headers) - 1))
        self._row(table, cells, align=align)
        self._row(table, ["{%tr endfor %}"] + [""] * (len(headers) - 1))
        for total in totals or []:
            self._row(table, total, bold=True, shade=True, align=align)
        self.para("")
        return table

    def grid(self, rows, widths_mm=None, header=None, align=None):
        """A fixed table; `header` is a shaded first row."""
        table = self._table(len(rows[0]), widths_mm)
        if header:
            self._row(table, header, bold=True, shade=True)
        for row in rows:
            self._row(table, row, align=align)
        self.para("")
        return table

    def key_values(self, rows, widths_mm=(60, 110)):
        table = self._table(2, widths_mm)
        for label, value in rows:
            cells = self._row(table, [label, value])
            _shade(cells[0])
            for run in cells[0].paragraphs[0].runs:
                run.bold = True
        self.para("")
        return table

    def boxed(self, lines, size=9.5):
        """A shaded one-cell box (certification mentions, receipts)."""
        table = self._table(1, (170,))
        cell = table.add_row().cells[0]
        _shade(cell, "F2F2F2")
        self.runs(cell.paragraphs[0], lines[0], size=size)
        for line in lines[1:]:
            self.runs(cell.add_paragraph(), line, size=size)
        self.para("")
        return table

    def signatures(self, *blocks):
        """Side-by-side signature blocks, each a list of lines, room left to sign."""
        table = self._table(len(blocks), [170 / len(blocks)] * len(blocks), borders=False)
        cells = table.add_row().cells
        for cell, lines in zip(cells, blocks, strict=True):
            cell.paragraphs[0].alignment = CENTER
            self.runs(cell.paragraphs[0], lines[0], size=10)
            for line in lines[1:]:
                paragraph = cell.add_paragraph()
                paragraph.alignment = CENTER
                self.runs(paragraph, line, size=10)
            for _ in range(3):
                cell.add_paragraph()
        return table

    def address_blocks(self, sender_lines, recipient_lines):
        table = self._table(2, (85, 85), borders=False)
        cells = table.add_row().cells
        for cell, lines in zip(cells, (sender_lines, recipient_lines), strict=True):
            self.runs(cell.paragraphs[0], lines[0], size=10)
            for line in lines[1:]:
                self.runs(cell.add_paragraph(), line, size=10)
        self.para("")
        return table

    def save(self, path) -> None:
        self.document.save(path)


__all__ = ["TemplateWriter", "CENTER", "RIGHT", "JUSTIFY"]
