"""A generated .docx as HTML to read in a page, like the sheet it prints on: headings,
paragraphs with their alignment, bold, italic and underlined words, numbered and bulleted
lists, tables with their merged cells, line and page breaks. Built by walking the document
with python-docx; every text is escaped (preview_inline.py), nothing of the file is run.

mammoth (on PyPI) makes clean HTML too, but leaves out alignment and page breaks, which a
signed convention's reader looks for; python-docx is already here."""
import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap, qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from markupsafe import Markup

from .preview_inline import PAGE_BREAK, Styles, paragraph_segments

MAX_BLOCKS = 2000   # paragraphs and table rows: a preview, not the document; the download has the rest
ALIGNMENTS = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right",
              WD_ALIGN_PARAGRAPH.JUSTIFY: "justify", WD_ALIGN_PARAGRAPH.DISTRIBUTE: "justify"}
ORDERED = {"decimal": "1", "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}
PAGE_SEPARATOR = Markup('<div class="page-break" role="separator" aria-label="Saut de page"></div>')


def preview_html(content, heading_level=4):
    """The .docx's body as HTML (Markup) and whether it was cut; the document's headings
    start at <h{heading_level}>, under the page's own."""
    document = docx.Document(io.BytesIO(content))
    renderer = _Renderer(document, heading_level)
    renderer.blocks(document.iter_inner_content(), top=True)
    renderer.lists.close()
    return Markup("").join(renderer.out), renderer.truncated


class _Renderer:
    """One document's walk: the HTML written so far, the blocks left to the budget, the lists open."""

    def __init__(self, document, heading_level):
        self.out, self.budget, self.truncated = [], MAX_BLOCKS, False
        self.heading_level = heading_level
        self.formats, self.styles = _list_formats(document), Styles(document)
        self.lists = _Lists(self.out)

    def spend(self):
        self.budget -= 1
        self.truncated = self.truncated or self.budget < 0
        return not self.truncated

    def blocks(self, items, top=False):
        for item in items:
            if not self.spend():
                return
            if isinstance(item, Paragraph):
                self.paragraph(item)
            elif isinstance(item, Table):
                self.lists.close()
                self.table(item, top)

    def paragraph(self, paragraph):
        p_pr = paragraph._p.pPr
        if p_pr is not None and p_pr.pageBreakBefore is not None and p_pr.pageBreakBefore.val:
            self.lists.close()
            self.out.append(PAGE_SEPARATOR)
        item = _list_item(paragraph, self.formats, self.styles)
        tag, alignment = self._tag(paragraph), _alignment(paragraph, self.styles)
        attributes = _classes(alignment)
        segments = paragraph_segments(paragraph, self.styles)
        for segment in segments:
            if segment is PAGE_BREAK:
                self.lists.close()
                self.out.append(PAGE_SEPARATOR)
            elif item is not None and (segment or len(segments) == 1):
                self.lists.item(*item, Markup("<span{}>{}</span>").format(attributes, segment))
            elif segment or len(segments) == 1:
                self.lists.close()
                attributes = _classes(alignment, "blank" if not segment and tag == "p" else None)
                self.out.append(Markup("<{0}{1}>{2}</{0}>").format(tag, attributes, segment))
        if p_pr is not None and p_pr.sectPr is not None:   # a section ends here: the next starts a page
            self.lists.close()
            self.out.append(PAGE_SEPARATOR)

    def _tag(self, paragraph):
        level = _heading_level(paragraph, self.styles)
        return f"h{min(self.heading_level + level - 1, 6)}" if level else "p"

    def table(self, table, top):
        classes = "doc-table" + (" borderless" if _borderless(table) else "")
        if top:
            self.out.append(Markup('<div class="table-scroll" role="region" tabindex="0" '
                                   'aria-label="Tableau du document">'))
        self.out.append(Markup('<table class="{}">').format(classes))
        grid = _grid(table)
        for row_index, row in enumerate(grid):
            if not self.spend():
                break
            self.row(grid, row_index, row, _is_header(table.rows[row_index]))
        self.out.append(Markup("</table>"))
        if top:
            self.out.append(Markup("</div>"))

    def row(self, grid, row_index, row, header):
        self.out.append(Markup("<tr>"))
        for column, cell in row:
            if cell._tc.vMerge == "continue":
                continue
            spans = Markup("")
            if cell._tc.grid_span > 1:
                spans += Markup(' colspan="{}"').format(cell._tc.grid_span)
            rows = _rows_spanned(grid, row_index, column) if cell._tc.vMerge == "restart" else 1
            if rows > 1:
                spans += Markup(' rowspan="{}"').format(rows)
            tag = "th" if header else "td"
            self.out.append(Markup("<{}{}{}>").format(tag, Markup(' scope="col"') if header else "", spans))
            self.blocks(cell.iter_inner_content())
            self.lists.close()
            self.out.append(Markup("</{}>").format(tag))
        self.out.append(Markup("</tr>"))


class _Lists:
    """Consecutive list paragraphs as nested <ul> / <ol>, by their level."""

    def __init__(self, out):
        self.out, self.open, self.counts = out, [], {}

    def item(self, tag, kind, level, key, content):
        """One paragraph of a list: `key` is (numbering id, level); another numbering is another list."""
        while self.open and (self.open[-1][1] > level or (self.open[-1][1] == level and self.open[-1][2] != key)):
            self.out.append(Markup("</li></{}>").format(self.open.pop()[0]))
        number = self.counts[key] = self.counts.get(key, 0) + 1   # Word numbers on across interruptions
        for deeper in [k for k in self.counts if k[0] == key[0] and k[1] > key[1]]:
            del self.counts[deeper]                                  # and restarts the levels below
        if self.open and self.open[-1][1] == level:
            self.out.append(Markup("</li>"))
        else:
            attributes = Markup("")
            if tag == "ol":
                attributes = Markup(' type="{}"').format(kind) + (
                    Markup(' start="{}"').format(number) if number > 1 else Markup(""))
            self.out.append(Markup("<{}{}>").format(tag, attributes))
            self.open.append((tag, level, key))
        self.out.append(Markup("<li>") + content)

    def close(self):
        while self.open:
            self.out.append(Markup("</li></{}>").format(self.open.pop()[0]))


def _classes(alignment, other=None):
    names = " ".join(name for name in (f"al-{alignment}" if alignment else None, other) if name)
    return Markup(' class="{}"').format(names) if names else Markup("")


def _list_formats(document):
    """{(numbering id, level): number format} from the document's numbering definitions."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    formats = {}
    for num in numbering.xpath("./w:num"):
        abstract = num.xpath("./w:abstractNumId/@w:val")
        for level in numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract[0] if abstract else ""}"]/w:lvl'):
            for fmt in level.xpath("./w:numFmt/@w:val", namespaces=nsmap):
                formats[(num.get(qn("w:numId")), level.get(qn("w:ilvl")))] = fmt
    return formats


def _list_item(paragraph, formats, styles):
    """(tag, type, level, (numbering id, level)) of a numbered or bulleted paragraph, or None.
    Its numbering and its level come each from the paragraph itself, else from its styles."""
    properties = [p_pr for p_pr in [paragraph._p.pPr] + [style.element.pPr for style in styles.paragraph(paragraph)]
                  if p_pr is not None]
    num_id = next((found[0] for found in (p_pr.xpath("./w:numPr/w:numId/@w:val") for p_pr in properties)
                   if found), None)
    if num_id in (None, "0"):   # "0": numbering removed on purpose
        return None
    level = next((found[0] for found in (p_pr.xpath("./w:numPr/w:ilvl/@w:val") for p_pr in properties)
                  if found), "0")
    fmt = formats.get((num_id, level)) or formats.get((num_id, "0"), "bullet")   # a level left undefined
    key = (num_id, int(level))
    if fmt in ("none", "bullet"):
        return "ul", "", int(level), key
    return "ol", ORDERED.get(fmt, "1"), int(level), key


def _heading_level(paragraph, styles):
    """1 for a title or first-level heading, 2 for the next...; 0 for a body paragraph.
    The project's templates mark their headings as bold paragraphs kept with the next."""
    chain = styles.paragraph(paragraph)
    name = (chain[0].name if chain else "") or ""
    lowered = name.lower()
    if lowered in ("title", "titre"):
        return 1
    for prefix in ("heading ", "titre "):
        if lowered.startswith(prefix) and lowered[len(prefix):].isdigit():
            return max(int(lowered[len(prefix):]), 1)
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and paragraph.paragraph_format.keep_with_next and all(run.bold for run in runs) \
            and _alignment(paragraph, styles) in (None, "justify"):
        return 1
    return 0


def _alignment(paragraph, styles):
    for value in [paragraph.alignment] + [style.paragraph_format.alignment for style in styles.paragraph(paragraph)]:
        if value is not None:
            return ALIGNMENTS.get(value)
    return None


def _grid(table):
    """Each row's cells with the grid column they start at (merged cells once)."""
    grid = []
    for tr in table._tbl.tr_lst:
        column, cells = tr.grid_before, []
        for tc in tr.tc_lst:
            cells.append((column, docx.table._Cell(tc, table)))
            column += tc.grid_span
        grid.append(cells)
    return grid


def _rows_spanned(grid, row_index, column):
    rows = 1
    for row in grid[row_index + 1:]:
        below = next((cell for start, cell in row if start == column), None)
        if below is None or below._tc.vMerge != "continue":
            break
        rows += 1
    return rows


def _is_header(row):
    return bool(row._tr.xpath("./w:trPr/w:tblHeader"))


def _borderless(table):
    values = table._tbl.xpath("./w:tblPr/w:tblBorders/*/@w:val")
    return bool(values) and all(value in ("nil", "none") for value in values)
