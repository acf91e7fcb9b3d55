"""A document read in the page (issue 15, « Everyday use »): on the task's page the current
version rendered like its sheet, on its own page (/documents/<id>) any version with its
downloads, and its PDF opened in the browser's viewer, framed by our pages only. Rights are the
documents': another territory or an outside partner it is not addressed to gets a 404.
Through Flask's test client on a real database."""
import re

import pytest
from sqlalchemy import select

from web_helpers import actor, anct_convention_at_review, login, post
from workflows.documents import pdf_available
from workflows.services.documents import generate_document
from workflows.store.models import GeneratedDocument

DELIBERATION = {"numero_deliberation": "CC-09-2026-031", "date_deliberation": "2026-09-24"}
NO_PDF = "LibreOffice (soffice) absent : installez libreoffice-writer-nogui"


def text(response):
    return response.get_data(as_text=True)


def convention(conventio):
    """(instance id, review task id, the convention's document id) at the director's review."""
    instance_id, review_id = anct_convention_at_review(conventio, start=DELIBERATION)
    return instance_id, review_id, convention_document(conventio, instance_id)


def convention_document(conventio, instance_id):
    with conventio.db.sessions() as session:
        return session.execute(select(GeneratedDocument.id).where(
            GeneratedDocument.instance_id == instance_id, GeneratedDocument.template == "convention_anct")
        ).scalar_one()


def test_the_task_page_shows_the_convention_as_its_sheet(client, conventio):
    _instance_id, review_id, document_id = convention(conventio)
    login(client, "directrice")
    page = text(client.get(f"/tasks/{review_id}"))
    documents = re.search(r'<section id="documents">(.*?)</section>', page, re.S).group(1)
    assert re.search(r'<div class="document-text sheet-frame" role="region" tabindex="0" aria-label="[^"]+">\s*'
                     r'<div class="sheet" lang="fr"><p class="al-center">', documents)
    assert "<h4><span class=\"fs-l\"><strong>Article 1 – Objet</strong></span></h4>" in documents
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Tableau du document">' in documents
    assert f'<a href="/documents/{document_id}">Lire sur sa page</a>' in documents
    assert f'href="/documents/{document_id}/download"' in documents
    assert "Ouvrir le PDF" not in documents   # no PDF asked for


def test_legal_staff_read_any_version_from_the_instance_page(client, conventio):
    instance_id, _review_id, first_id = convention(conventio)
    second = generate_document(conventio, instance_id, "convention_anct", actor(conventio, "juriste"))
    login(client, "juriste")
    listing = text(client.get(f"/instances/{instance_id}"))
    for document_id, revision in ((first_id, 1), (second["id"], 2)):
        assert re.search(rf'<a href="/documents/{document_id}">Lire<span class="visually-hidden"> « Convention '
                         rf'de cofinancement avec l(&#39;|\')ANCT », version {revision}</span></a>', listing)
    page = text(client.get(f"/documents/{first_id}"))
    assert re.search(r"<h1>Convention de cofinancement avec l(&#39;|')ANCT</h1>", page)
    assert '<h2><span class="fs-l"><strong>Article 1 – Objet</strong></span></h2>' in page   # under the <h1>
    assert '<div class="document-text sheet-frame full"' in page and "(vingt mille huit cents euros)" in page
    assert f'href="/documents/{first_id}/download"' in page and f'href="/instances/{instance_id}#documents"' in page
    versions = re.search(r'<section id="versions">(.*?)</section>', page, re.S).group(1)
    assert f'<a href="/documents/{first_id}" aria-current="page">Version 1</a>' in versions
    assert f'<a href="/documents/{second["id"]}">Version 2</a>' in versions
    download = client.get(f"/documents/{first_id}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    missing = client.get(f"/documents/{first_id}/pdf")
    assert missing.status_code == 404 and "Pas de PDF pour ce document" in text(missing)


@pytest.mark.parametrize("username", ["juriste78", "prescripteur"])
def test_who_may_not_read_the_document_gets_a_404_by_every_door(client, conventio, username):
    _instance_id, _review_id, document_id = convention(conventio)
    login(client, "juriste")   # the territory's staff read it: the doors exist
    assert [client.get(f"/documents/{document_id}{door}").status_code for door in ("", "/download")] == [200, 200]
    post(client, "/logout")
    login(client, username)
    for path in (f"/documents/{document_id}", f"/documents/{document_id}/download", f"/documents/{document_id}/pdf"):
        response = client.get(path)
        assert response.status_code == 404 and "introuvable" in text(response), path
        assert "Article 1" not in text(response)


@pytest.mark.skipif(not pdf_available(), reason=NO_PDF)
def test_the_pdf_opens_inline_framed_by_our_pages_only(client, conventio):
    instance_id, review_id, _document_id = convention(conventio)
    document = generate_document(conventio, instance_id, "convention_anct", actor(conventio, "juriste"), pdf=True)
    assert document["has_pdf"], document["pdf_note"]
    login(client, "directrice")
    shown = client.get(f"/documents/{document['id']}/pdf")
    assert shown.status_code == 200 and shown.mimetype == "application/pdf" and shown.data.startswith(b"%PDF")
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    task = text(client.get(f"/tasks/{review_id}"))
    assert f'<a href="/documents/{document["id"]}/pdf" class="open-pdf">Ouvrir le PDF</a>' in task
    assert re.search(rf'<iframe src="/documents/{document["id"]}/pdf" loading="lazy"\s+title="PDF de « '
                     rf'Convention de cofinancement avec l(&#39;|\')ANCT », version 2"></iframe>', task)
    page = client.get(f"/documents/{document['id']}")
    assert page.headers["X-Frame-Options"] == "DENY"   # the pages themselves are framed by no one
    assert "Ouvrir le PDF" in text(page)
    post(client, "/logout")
    login(client, "prescripteur")
    assert client.get(f"/documents/{document['id']}/pdf").status_code == 404


def test_hostile_text_in_the_dossier_reads_as_text_in_the_sheet(client, conventio):
    hostile = '<script>alert("x")</script> {{ 7 * 7 }} Communauté'
    instance_id, review_id = anct_convention_at_review(conventio, start=dict(DELIBERATION, collectivite=hostile))
    login(client, "directrice")
    for path in (f"/tasks/{review_id}", f"/documents/{convention_document(conventio, instance_id)}"):
        page = text(client.get(path))
        sheet = re.search(r'<div class="sheet" lang="fr">(.*?)</div>\s*</div>', page, re.S).group(1)
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7 * 7 }} Communauté" in sheet, path
        assert "<script>alert" not in page and "49 Communauté" not in page, path
