"""Sending one e-mail over SMTP (STARTTLS and login when configured)."""
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message; worth retrying later."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def message_id(key):
    """The same notification always carries the same Message-ID, so a rare resend can be spotted."""
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@conventio>"


def build_message(smtp, recipient, subject, body, key):
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(key)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send_mail(smtp, recipient, subject, body, key):
    message = build_message(smtp, recipient, subject, body, key)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"Envoi du courriel à {recipient} impossible par {smtp.host}:{smtp.port} : "
                          f"{exc or type(exc).__name__}") from exc
