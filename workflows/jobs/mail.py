"""Sending one e-mail over SMTP (STARTTLS and login when configured).

What goes into a header comes from users (task names, instance titles, display names,
user names used as addresses): a subject or a display name is made one line (control
characters, CR and LF included, become spaces); an address must be exactly one plain
address, and the SMTP envelope names that one recipient only, never what headers list.
"""
import hashlib
import re
import smtplib
import ssl
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message; worth retrying later."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def message_id(key):
    """The same notification always carries the same Message-ID, so a rare resend can be spotted."""
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@conventio>"


def one_line(text):
    """`text` for a header: each run of control characters (CR, LF, NUL…) becomes one space."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def mailbox(address, display_name=None):
    """One Address from `address`, which must be exactly one plain address (no list, no
    display name, no line break); MailNotSent otherwise, naming it."""
    text = (address or "").strip()
    try:
        if not text or _CONTROL.search(text):
            raise ValueError(text)
        parsed = Address(addr_spec=text)
        if not parsed.username or not parsed.domain:
            raise ValueError(text)
        return Address(display_name=one_line(display_name), addr_spec=parsed.addr_spec)
    except (ValueError, HeaderParseError):
        raise MailNotSent(f"Adresse électronique invalide : {text!r} (une seule adresse attendue).") from None


def build_message(smtp, recipient, subject, body, key, recipient_name=None):
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = mailbox(recipient, recipient_name)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(key)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send_mail(smtp, recipient, subject, body, key, recipient_name=None):
    message = build_message(smtp, recipient, subject, body, key, recipient_name)
    envelope_to = message["To"].addresses[0].addr_spec
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message, to_addrs=[envelope_to])   # never the headers' list
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"Envoi du courriel à {recipient} impossible par {smtp.host}:{smtp.port} : "
                          f"{exc or type(exc).__name__}") from exc
