"""Documents of an instance: generated on demand or at the step the BPMN names, stored, kept."""
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bpmn_builder import sequence, user_task
from helpers import ADMIN, actor, deploy_xml
from workflows.documents import pdf_available
from workflows.documents.examples import EXAMPLES
from workflows.errors import Forbidden, InvalidData, NotFound
from workflows.services.documents import document_file, generate_document, generate_documents, list_documents
from workflows.services.instances import start_instance
from workflows.services.tasks import complete_task, list_tasks
from workflows.store.models import AuditEntry, GeneratedDocument

JURIST = actor("juriste", "legal", territories=["cap-nord"])


def started(app, data, documents=None):
    properties = {"documents": documents} if documents else None
    deploy_xml(app, {"acte.bpmn": sequence("acte", ("sign", user_task("sign", "Signer l’acte", properties)),
                                           ("next", user_task("next", "Suite")))})
    return start_instance(app, "acte", data, ADMIN, territory="cap-nord")["id"]


def text_of(content):
    document = docx.Document(io.BytesIO(content) if isinstance(content, bytes) else content)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_legal_staff_generate_and_regenerate_keeping_every_revision(app):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    first = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    second = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    assert (first["revision"], second["revision"]) == (1, 2)
    listed = list_documents(app, instance_id, JURIST)
    assert [d["revision"] for d in listed] == [1, 2]
    content, name, media_type = document_file(app, first["id"], JURIST)
    assert name == "extrait_deliberation-v1.docx" and media_type.endswith("wordprocessingml.document")
    assert hashlib.sha256(content).hexdigest() == first["checksum"]
    text = text_of(content)
    assert "Pays Nord Martinique" in text and "27 avril 2023" in text
    with app.db.sessions() as session:
        journal = session.execute(select(AuditEntry).where(AuditEntry.action == "document")).scalars().all()
        assert [e.actor for e in journal] == ["juriste", "juriste"]


def test_only_legal_staff_generate_on_demand_and_only_in_their_territory(app):
    instance_id = started(app, EXAMPLES["extrait_deliberation"])
    with pytest.raises(Forbidden):
        generate_document(app, instance_id, "extrait_deliberation", actor("dir", "director", territories=["cap-nord"]))
    with pytest.raises(NotFound):
        generate_document(app, instance_id, "extrait_deliberation", actor("j78", "legal", territories=["yvelines"]))
    document = generate_document(app, instance_id, "extrait_deliberation", JURIST)
    with pytest.raises(NotFound):
        document_file(app, document["id"], actor("j78", "legal", territories=["yvelines"]))


def test_missing_data_names_the_keys_and_stores_nothing(app):
    instance_id = started(app, {"collectivite": "CAP Nord"})
    with pytest.raises(InvalidData) as invalid:
        generate_document(app, instance_id, "extrait_deliberation", JURIST)
    assert "date_seance" in invalid.value.details
    assert list_documents(app, instance_id, JURIST) == []


def test_the_step_named_by_the_bpmn_generates_its_documents(app):
    instance_id = started(app, EXAMPLES["lettre_rejet"], documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert [d["template"] for d in result["documents"]] == ["lettre_rejet"]
    assert result["document_errors"] == []
    assert [d["task_id"] for d in list_documents(app, instance_id, ADMIN)] == [task["id"]]


def test_a_step_document_that_cannot_be_made_is_journaled_without_blocking(app):
    instance_id = started(app, {"collectivite": "CAP Nord"}, documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert result["documents"] == [] and result["document_errors"][0]["template"] == "lettre_rejet"
    assert [t["name"] for t in list_tasks(app, ADMIN, instance_id=instance_id)] == ["Suite"]
    with app.db.sessions() as session:
        failure = session.execute(select(AuditEntry).where(AuditEntry.action == "document_echec")).scalar_one()
        assert "lettre_rejet" in failure.summary


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) absent : installez libreoffice-writer-nogui")
def test_pdf_is_stored_beside_the_docx(app):
    instance_id = started(app, EXAMPLES["lettre_rejet"])
    document = generate_document(app, instance_id, "lettre_rejet", JURIST, pdf=True)
    assert document["has_pdf"]
    content, name, media_type = document_file(app, document["id"], JURIST, as_pdf=True)
    assert content.startswith(b"%PDF") and name.endswith(".pdf") and media_type == "application/pdf"


def test_the_shell_renders_a_template_and_checks_them_all(tmp_path):
    conventio = Path(sys.executable).with_name("conventio")
    env = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    data = tmp_path / "rejet.json"
    data.write_text(json.dumps(EXAMPLES["lettre_rejet"]))
    out = tmp_path / "rejet.docx"
    done = subprocess.run([str(conventio), "documents", "render", "lettre_rejet", "--data", f"@{data}",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "lettre" in text_of(out).lower()
    check = subprocess.run([str(conventio), "templates", "check"], capture_output=True, text=True, env=env,
                           timeout=120)
    assert check.returncode == 0, check.stdout
    missing = subprocess.run([str(conventio), "documents", "render", "lettre_rejet", "--data", "{}",
                              "--out", str(tmp_path / "x.docx")], capture_output=True, text=True, env=env,
                             timeout=120)
    assert missing.returncode == 1 and missing.stderr.startswith("Erreur :")
    for args, message in ((["--data", f"@{data}", "--out", str(tmp_path / "absent" / "x.docx")], "Impossible d’écrire"),
                          (["--data", "{oops", "--out", str(tmp_path / "y.docx")], "--data : JSON invalide"),
                          (["--data", f"@{tmp_path / 'nowhere.json'}", "--out", str(tmp_path / "z.docx")],
                           "--data : fichier illisible")):
        refused = subprocess.run([str(conventio), "documents", "render", "lettre_rejet", *args], capture_output=True,
                                 text=True, env=env, timeout=120)
        assert (refused.returncode, refused.stderr.count("\n")) == (1, 1), refused.stderr
        assert refused.stderr.startswith("Erreur : ") and message in refused.stderr


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) absent : installez libreoffice-writer-nogui")
def test_documents_without_pdf_get_it_from_the_batch_job(app):
    from workflows.jobs.celery_app import beat_schedule
    from workflows.jobs.settings import JobSettings
    from workflows.services.documents import convert_pending_pdfs
    first = started(app, EXAMPLES["lettre_rejet"])
    second = start_instance(app, "acte", EXAMPLES["lettre_rejet"], ADMIN, territory="cap-nord")["id"]
    documents = [generate_document(app, instance_id, "lettre_rejet", JURIST) for instance_id in (first, second)]
    assert not any(d["has_pdf"] for d in documents)
    assert convert_pending_pdfs(app) == 2
    assert convert_pending_pdfs(app) == 0
    for document in documents:
        content, _name, _type = document_file(app, document["id"], JURIST, as_pdf=True)
        assert content.startswith(b"%PDF")
    with app.db.sessions() as session:
        pdfs = session.execute(select(GeneratedDocument.instance_id, GeneratedDocument.pdf_path)).all()
    assert all(pdf_path.startswith(f"{instance_id}/") for instance_id, pdf_path in pdfs)
    schedule = beat_schedule(JobSettings.from_env(env={}))
    assert schedule["pdf"]["task"] == "conventio.convert_pending_pdfs"


# --- documents made one per recipient: the rejection letter per evicted candidate ----------

HOLDER, CARAIBES, ANTILLES = ("Solidarité Numérique Émission SAS", "Chèques & Services Caraïbes SARL",
                              "Inclusion Numérique Antilles SAS")
TENDER = {
    **{key: EXAMPLES["lettre_rejet"][key] for key in ("collectivite", "collectivite_adresse", "reference_marche",
                                                       "objet")},
    "procedure": "appel_offres", "titulaire": HOLDER, "date_envoi_lettres_rejet": "2027-06-15",
    "lettres_rejet_electroniques": True, "motifs_rejet": "offre moins bien classée",
    "offres": [{"candidat": name, "adresse": address, "montant_ht": amount} for name, address, amount in (
        (HOLDER, "14 quai de Bacalan, 33300 Bordeaux", 258750),
        (CARAIBES, "12 rue Victor Hugo, 97200 Fort-de-France", 260000),
        (ANTILLES, "5 boulevard du Général de Gaulle, 97110 Pointe-à-Pitre", 259400))],
}


def by_recipient(app, instance_id):
    return [(d["recipient"], d["revision"]) for d in list_documents(app, instance_id, JURIST)]


def test_one_letter_per_evicted_candidate_with_revisions_counted_per_candidate(app):
    instance_id = started(app, TENDER)
    first = generate_documents(app, instance_id, "lettre_rejet", JURIST)
    assert [(d["recipient"], d["revision"], d["title"]) for d in first] == [
        (CARAIBES, 1, f"Lettre de rejet d'une offre — {CARAIBES}"),
        (ANTILLES, 1, f"Lettre de rejet d'une offre — {ANTILLES}")]
    generate_documents(app, instance_id, "lettre_rejet", JURIST)
    [again] = generate_documents(app, instance_id, "lettre_rejet", JURIST, recipient=ANTILLES.lower())
    assert (again["recipient"], again["revision"]) == (ANTILLES, 3)
    assert by_recipient(app, instance_id) == [(CARAIBES, 1), (CARAIBES, 2), (ANTILLES, 1), (ANTILLES, 2),
                                              (ANTILLES, 3)]
    names = set()
    for document in list_documents(app, instance_id, JURIST):
        content, name, _media_type = document_file(app, document["id"], JURIST)
        names.add(name)
        assert hashlib.sha256(content).hexdigest() == document["checksum"]
        assert document["recipient"] in text_of(content)
    assert "lettre_rejet-inclusion-numerique-antilles-sas-v3.docx" in names and len(names) == 5
    with app.db.sessions() as session:
        journal = session.execute(select(AuditEntry).where(AuditEntry.action == "document")).scalars().all()
        assert [json.loads(e.payload)["destinataire"] for e in journal][-1] == ANTILLES


def test_an_unknown_recipient_is_refused_naming_the_candidates_and_nothing_is_stored(app):
    instance_id = started(app, TENDER)
    with pytest.raises(InvalidData) as refused:
        generate_documents(app, instance_id, "lettre_rejet", JURIST, recipient="Société X")
    assert "« Société X »" in refused.value.message and CARAIBES in refused.value.message
    assert ANTILLES in refused.value.message and "recipient" in refused.value.details
    with pytest.raises(InvalidData):   # one document asked, several recipients: which one?
        generate_document(app, instance_id, "lettre_rejet", JURIST)
    with pytest.raises(InvalidData):
        generate_documents(app, instance_id, "extrait_deliberation", JURIST, recipient=CARAIBES)
    assert list_documents(app, instance_id, JURIST) == []
    assert generate_document(app, instance_id, "lettre_rejet", JURIST, recipient=CARAIBES)["revision"] == 1


def test_one_failing_letter_stores_none_of_them(app):
    instance_id = started(app, dict(TENDER, offres=TENDER["offres"] + [{"candidat": "Sans Adresse SAS"}]))
    with pytest.raises(InvalidData) as refused:
        generate_documents(app, instance_id, "lettre_rejet", JURIST)
    assert "« Lettre de rejet d'une offre — Sans Adresse SAS » : candidat.adresse" in refused.value.message
    assert list_documents(app, instance_id, JURIST) == []


def test_the_step_makes_one_letter_per_evicted_candidate_once(app):
    instance_id = started(app, TENDER, documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert [d["recipient"] for d in result["documents"]] == [CARAIBES, ANTILLES]
    assert result["document_errors"] == []
    assert [(d["recipient"], d["revision"], d["task_id"]) for d in list_documents(app, instance_id, ADMIN)] == [
        (CARAIBES, 1, task["id"]), (ANTILLES, 1, task["id"])]


def test_a_step_without_evicted_candidate_makes_no_letter_and_says_so(app):
    instance_id = started(app, dict(TENDER, offres=TENDER["offres"][:1]), documents="lettre_rejet")
    task = list_tasks(app, ADMIN, instance_id=instance_id)[0]
    result = complete_task(app, task["id"], {}, ADMIN)
    assert result["documents"] == [] and result["document_errors"] == []
    assert list_documents(app, instance_id, ADMIN) == []
    with app.db.sessions() as session:
        [note] = session.execute(select(AuditEntry).where(
            AuditEntry.action == "document_sans_destinataire")).scalars().all()
        assert "aucun candidat évincé" in note.summary and note.task_id == task["id"]
    with pytest.raises(InvalidData) as refused:   # on demand: nothing to make
        generate_documents(app, instance_id, "lettre_rejet", JURIST)
    assert "aucun candidat évincé" in refused.value.message


def test_documents_without_recipient_still_cannot_share_a_revision(any_app):
    instance_id = started(any_app, EXAMPLES["extrait_deliberation"])
    document = generate_document(any_app, instance_id, "extrait_deliberation", JURIST)
    with any_app.db.sessions() as session:
        stored = session.get(GeneratedDocument, document["id"])
        copy = GeneratedDocument(**{column: getattr(stored, column) for column in (
            "instance_id", "template", "recipient", "title", "revision", "template_version", "checksum", "path",
            "created_by", "created_at")}, data_json="{}")
        session.add(copy)
        with pytest.raises(IntegrityError):
            session.commit()


def test_migration_0005_goes_down_and_up(any_app):
    from alembic import command
    from sqlalchemy import inspect
    from workflows.store.migrate import alembic_config, upgrade

    def columns():
        return {column["name"] for column in inspect(any_app.db.engine).get_columns("generated_document")}

    assert "recipient" in columns()
    with any_app.db.write_engine.begin() as connection:
        config = alembic_config(any_app.db.url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert "recipient" not in columns()
    upgrade(any_app.db)
    assert "recipient" in columns()


def test_the_shell_generates_every_letter_or_the_one_named(tmp_path):
    conventio = Path(sys.executable).with_name("conventio")
    env = dict(os.environ, CONVENTIO_DATA_DIR=str(tmp_path / "data"))
    env.pop("CONVENTIO_DATABASE_URL", None)

    def run(*args, stdin=None):
        return subprocess.run([str(conventio), *args], capture_output=True, text=True, env=env, input=stdin,
                              timeout=120)

    (tmp_path / "acte.bpmn").write_text(sequence("acte", ("sign", user_task("sign", "Signer l’acte"))))
    assert run("deploy", str(tmp_path / "acte.bpmn")).returncode == 0
    assert run("users", "add", "marie", "--role", "legal", "--territory", "cap-nord", "--password-stdin",
               stdin="s3cret\n").returncode == 0
    started = run("instances", "start", "acte", "--data", json.dumps(TENDER), "--territory", "cap-nord", "--json")
    instance_id = str(json.loads(started.stdout)["id"])

    every = run("documents", "generate", instance_id, "lettre_rejet", "--as", "marie")
    assert every.returncode == 0, every.stderr
    assert [line.split(" : ", 1)[1] for line in every.stdout.splitlines()] == [
        f"Lettre de rejet d'une offre — {CARAIBES} (version 1)",
        f"Lettre de rejet d'une offre — {ANTILLES} (version 1)"]
    one = run("documents", "generate", instance_id, "lettre_rejet", "--as", "marie", "--destinataire", ANTILLES)
    assert one.returncode == 0 and one.stdout.strip().endswith(f"{ANTILLES} (version 2)")
    unknown = run("documents", "generate", instance_id, "lettre_rejet", "--as", "marie",
                  "--destinataire", "Société X")
    assert unknown.returncode == 1 and unknown.stderr.startswith("Erreur : « Société X » n'est pas un destinataire")
    assert CARAIBES in unknown.stderr and ANTILLES in unknown.stderr
    listed = json.loads(run("documents", "list", instance_id, "--json").stdout)
    assert [(d["recipient"], d["revision"]) for d in listed] == [(CARAIBES, 1), (ANTILLES, 1), (ANTILLES, 2)]
    assert "DESTINATAIRE" in run("documents", "list", instance_id).stdout
