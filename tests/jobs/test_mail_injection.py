"""Header and recipient injection, tried against a real SMTP server (aiosmtpd): a subject,
a display name or an address carrying CR/LF (or a list) adds no header and no recipient."""
import email
from email.policy import default as default_policy

import pytest

from jobs_helpers import Inbox
from workflows.jobs.mail import MailNotSent, send_mail
from workflows.jobs.settings import SmtpSettings

RECIPIENT = "juriste@mairie.test"
EVIL = "pirate@ailleurs.test"


@pytest.fixture
def smtp_server():
    with Inbox() as inbox:
        yield inbox


def _smtp(server):
    return SmtpSettings(host="127.0.0.1", port=server.port, sender="Conventio <conventio@mairie.test>", timeout=5)


def _header_names(content):
    head = content.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return [line.split(b":", 1)[0].decode().lower() for line in head.split(b"\n") if line and line[:1] not in b" \t"]


HEADERS = ["from", "to", "subject", "date", "message-id", "auto-submitted", "content-type",
           "content-transfer-encoding", "mime-version"]


@pytest.mark.parametrize("subject", [
    f"Relance\r\nBcc: {EVIL}", f"Relance\nTo: {EVIL}", f"Relance\rCc: {EVIL}", f"Relance\r\n\r\nCorps injecté",
    f"Relance\u2028Bcc: {EVIL}", f"Relance\x00\r\nBcc: {EVIL}", f"Relance\x85Bcc: {EVIL}",
])
def test_a_subject_with_line_breaks_stays_one_header(smtp_server, subject):
    send_mail(_smtp(smtp_server), RECIPIENT, subject, "Bonjour.", key=f"test:{subject!r}")
    [(recipients, content)] = smtp_server.received
    assert recipients == [RECIPIENT]
    assert sorted(_header_names(content)) == sorted(HEADERS)
    message = email.message_from_bytes(content, policy=default_policy)
    assert message["Subject"].startswith("Relance ") and "\n" not in str(message["Subject"])
    assert message.get_content().strip() == "Bonjour."


@pytest.mark.parametrize("name", [f"Eve\r\nBcc: {EVIL}", f"Eve <{EVIL}>, Bob", f'Eve", {EVIL}, "x', "Ève\n\nCorps"])
def test_a_display_name_adds_no_recipient_and_no_header(smtp_server, name):
    send_mail(_smtp(smtp_server), RECIPIENT, "Relance", "Bonjour.", key=f"test:{name!r}", recipient_name=name)
    [(recipients, content)] = smtp_server.received
    assert recipients == [RECIPIENT]
    assert sorted(_header_names(content)) == sorted(HEADERS)
    message = email.message_from_bytes(content, policy=default_policy)
    assert [a.addr_spec for a in message["To"].addresses] == [RECIPIENT]


@pytest.mark.parametrize("address", [
    f"{RECIPIENT}\r\nBcc: {EVIL}", f"{RECIPIENT}\nTo: {EVIL}", f"{RECIPIENT}, {EVIL}", f"{RECIPIENT};{EVIL}",
    f"{RECIPIENT} {EVIL}", f"Eve <{EVIL}>", f"{RECIPIENT}>{EVIL}", f"{RECIPIENT}\x00{EVIL}", "juriste", "",
])
def test_an_address_that_is_not_exactly_one_address_is_not_sent(smtp_server, address):
    with pytest.raises(MailNotSent, match="Adresse électronique invalide"):
        send_mail(_smtp(smtp_server), address, "Relance", "Bonjour.", key="test:address")
    assert smtp_server.received == []


def test_a_plain_address_is_delivered_to_itself_only(smtp_server):
    send_mail(_smtp(smtp_server), f"  {RECIPIENT} ", "Relance", "Bonjour.", key="test:plain",
              recipient_name="Jeanne Juriste, service juridique")
    [(recipients, content)] = smtp_server.received
    message = email.message_from_bytes(content, policy=default_policy)
    assert recipients == [RECIPIENT]
    assert message["To"].addresses[0].display_name == "Jeanne Juriste, service juridique"
