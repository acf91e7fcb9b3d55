"""PDF through LibreOffice: text checked with pdftotext; batches, isolated
profiles, and a clear error when LibreOffice is missing."""

import threading

import pytest

from workflows.documents import (
    PdfConverter, PdfUnavailable, pdf_available, render_document, render_to_file,
)
from workflows.documents.examples import EXAMPLES

from .conftest import normalise
from .mentions import MANDATORY

needs_soffice = pytest.mark.skipif(
    not pdf_available(),
    reason="LibreOffice (soffice) absent : installer libreoffice-writer-nogui",
)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_pdf_shows_the_mandatory_mentions(name, pdf_texts):
    missing = [m for m in MANDATORY[name] if normalise(m) not in pdf_texts[name]]
    assert not missing, f"{name} : absent du PDF {missing}"


def test_pdf_of_the_extract_has_header_and_page_numbers(pdf_texts):
    text = pdf_texts["extrait_deliberation"]
    assert "Page 1 / 3" in text
    assert text.count("Communauté d'Agglomération du Pays Nord Martinique – Délibération "
                      "n° CC-04-2023-095") == 3


def _docx_files(folder, names):
    paths = []
    for index, name in enumerate(names):
        path = folder / f"{index:02d}_{name}.docx"
        path.write_bytes(render_document(name, EXAMPLES[name]).content)
        paths.append(path)
    return paths


@needs_soffice
def test_two_converters_at_once_lose_no_pdf(tmp_path):
    """Each converter has its own profile: run in parallel, every PDF arrives."""
    names = ["lettre_rejet", "bon_de_commande", "lettre_beneficiaire"]
    results, errors = {}, []

    def convert(label):
        folder = tmp_path / label
        folder.mkdir()
        try:
            with PdfConverter() as converter:
                results[label] = converter.convert(_docx_files(folder, names), folder / "pdf")
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=convert, args=(label,)) for label in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for label in ("a", "b"):
        assert [p.name for p in results[label]] == [
            "00_lettre_rejet.pdf", "01_bon_de_commande.pdf", "02_lettre_beneficiaire.pdf"]
        assert all(p.stat().st_size > 1000 for p in results[label])


@needs_soffice
def test_files_with_the_same_name_go_to_separate_batches(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    content = render_document("lettre_rejet", EXAMPLES["lettre_rejet"]).content
    (first / "lettre.docx").write_bytes(content)
    (second / "lettre.docx").write_bytes(content)
    with PdfConverter() as converter:
        pdfs = converter.convert([first / "lettre.docx", second / "lettre.docx"])
    assert pdfs == [first / "lettre.pdf", second / "lettre.pdf"]
    assert all(p.is_file() for p in pdfs)


@needs_soffice
def test_render_to_file_writes_pdf_and_docx(tmp_path):
    out = render_to_file("notification_attribution", EXAMPLES["notification_attribution"],
                         tmp_path / "notification.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "notification.docx").is_file()


def test_without_libreoffice_the_error_is_clear_and_the_docx_exists(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVENTIO_SOFFICE", "/nonexistent/soffice")
    monkeypatch.setattr("workflows.documents.pdf._default", {})
    with pytest.raises(PdfUnavailable) as unavailable:
        render_to_file("lettre_rejet", EXAMPLES["lettre_rejet"], tmp_path / "rejet.pdf")
    message = str(unavailable.value)
    assert message.startswith("Conversion PDF indisponible")
    assert "le document .docx est tout de même produit" in message
    assert (tmp_path / "rejet.docx").is_file()
    assert not pdf_available()


def test_docx_output_needs_no_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    out = render_to_file("bon_de_commande", EXAMPLES["bon_de_commande"], tmp_path / "bc.docx")
    assert out.read_bytes()[:2] == b"PK"
