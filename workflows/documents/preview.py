"""A generated .docx as plain blocks, for reading it in a page: its paragraphs (headings
marked) and tables, in the order of the document, as text. No formatting, nothing run."""
import io
from dataclasses import dataclass, field

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

MAX_BLOCKS = 2000   # a preview, not the document: the download has the rest


@dataclass
class Block:
    kind: str                                 # "heading", "paragraph" or "table"
    text: str = ""
    rows: list = field(default_factory=list)  # table: [[cell text]]


def preview_blocks(content):
    """The blocks of a .docx's body, empty paragraphs left out; (blocks, truncated)."""
    document = docx.Document(io.BytesIO(content))
    blocks = []
    for item in document.iter_inner_content():
        if len(blocks) >= MAX_BLOCKS:
            return blocks, True
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                style = (item.style.name if item.style is not None else "") or ""
                blocks.append(Block("heading" if style.lower().startswith(("heading", "titre", "title")) else
                                    "paragraph", text))
        elif isinstance(item, Table):
            rows = [[cell.text.strip() for cell in _unique_cells(row)] for row in item.rows]
            if any(any(cells) for cells in rows):
                blocks.append(Block("table", rows=rows))
    return blocks, False


def _unique_cells(row):
    """A merged cell appears once per grid column it spans: shown once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells
