"""A buyer attaches a signed quote from the task page in a real browser (Debian's Chromium, driven by
Playwright): the labelled file input, a refused file named .pdf, then the real PDF listed and
downloaded. Screenshot in test-artifacts/."""
from test_attachments import MODEL, PDF
from test_browser import ARTIFACTS, browser, live_server, log_in, page  # noqa: F401  (fixtures)
from helpers import deploy_xml
from web_helpers import TERRITORY, actor
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks


def test_a_quote_attached_from_the_task_page(page, live_server, conventio, tmp_path):
    deploy_xml(conventio, {"devis.bpmn": MODEL})
    instance_id = start_instance(conventio, "devis", {}, actor(conventio, "directrice"), territory=TERRITORY)["id"]
    [task] = list_tasks(conventio, actor(conventio, "acheteur"), instance_id=instance_id)
    (tmp_path / "faux devis.pdf").write_bytes(b"<html>une page web</html>")
    (tmp_path / "devis signé.pdf").write_bytes(PDF)

    log_in(page, live_server, "acheteur")
    page.goto(f"{live_server}/tasks/{task['id']}")
    file_input = page.get_by_label("Joindre un fichier")
    assert file_input.get_attribute("aria-describedby") == "attachment-help"
    file_input.set_input_files(str(tmp_path / "faux devis.pdf"))
    page.click("#attachments button[type=submit]")
    assert "n’est pas d’un type accepté" in page.content()
    page.go_back()
    page.get_by_label("Joindre un fichier").set_input_files(str(tmp_path / "devis signé.pdf"))
    page.click("#attachments button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert "Pièce « devis signé.pdf » jointe (50 octets)." in page.locator(".flash.success").inner_text()
    link = page.locator("#attachments a", has_text="devis signé.pdf")
    with page.expect_download() as download:
        link.click()
    assert open(download.value.path(), "rb").read() == PDF
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "piece-jointe-devis.png"), full_page=True)
