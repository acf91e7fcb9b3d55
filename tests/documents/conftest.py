"""Fixtures of the document tests: every example rendered once, its text read back."""

import io
import re
import shutil
import subprocess

import docx
import pytest

from workflows.documents import TemplateRegistry, convert_to_pdf, pdf_available, render_document
from workflows.documents.examples import EXAMPLES


def normalise(text: str) -> str:
    """One plain space for every run of whitespace (NNBSP and NBSP included)."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def _cell_texts(table):
    for row in table.rows:
        for cell in row.cells:
            yield from (p.text for p in cell.paragraphs)
            for inner in cell.tables:
                yield from _cell_texts(inner)


def _part_texts(part):
    yield from (p.text for p in part.paragraphs)
    for table in part.tables:
        yield from _cell_texts(table)


def docx_parts(content: bytes) -> dict[str, str]:
    """Raw text (NNBSP kept) of the body, the headers and the footers."""
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    return {
        "body": "\n".join(_part_texts(document)),
        "header": "\n".join(_part_texts(section.header)),
        "footer": "\n".join(_part_texts(section.footer)),
    }


def docx_text(content: bytes) -> str:
    return normalise(" ".join(docx_parts(content).values()))


def table_rows(content: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    return [[normalise(cell.text) for cell in row.cells]
            for table in document.tables for row in table.rows]


@pytest.fixture(scope="session")
def registry():
    return TemplateRegistry()


@pytest.fixture(scope="session")
def rendered(registry):
    return {name: render_document(name, data, registry) for name, data in EXAMPLES.items()}


@pytest.fixture(scope="session")
def pdf_texts(rendered, tmp_path_factory):
    """Text of the PDF of every example, all converted in one LibreOffice batch."""
    if not pdf_available():
        pytest.skip("LibreOffice (soffice) absent : conversion PDF non testée "
                    "(installer libreoffice-writer-nogui)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent : installer poppler-utils pour vérifier les PDF")
    folder = tmp_path_factory.mktemp("pdf")
    paths = []
    for name, document in rendered.items():
        path = folder / f"{name}.docx"
        path.write_bytes(document.content)
        paths.append(path)
    texts = {}
    for name, pdf in zip(rendered, convert_to_pdf(paths, folder), strict=True):
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                capture_output=True, check=True)
        texts[name] = normalise(result.stdout.decode("utf-8"))
    return texts
