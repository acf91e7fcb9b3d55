"""Settings of the jobs, read from CONVENTIO_* environment variables by the entry point."""
import os
from dataclasses import dataclass, field, replace

from ..errors import ConventioError, ErrorCode


class JobsMisconfigured(ConventioError):
    code = ErrorCode.CONFIGURATION


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "oui", "on")


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "conventio@localhost"
    timeout: float = 20.0

    @property
    def configured(self):
        return bool(self.host)

    @classmethod
    def from_env(cls, env):
        starttls = _flag(env.get("CONVENTIO_SMTP_STARTTLS", "0"))
        return cls(
            host=env.get("CONVENTIO_SMTP_HOST") or None,
            port=int(env.get("CONVENTIO_SMTP_PORT") or (587 if starttls else 25)),
            user=env.get("CONVENTIO_SMTP_USER") or None,
            password=env.get("CONVENTIO_SMTP_PASSWORD") or None,
            starttls=starttls,
            sender=env.get("CONVENTIO_SMTP_FROM") or "conventio@localhost",
            timeout=float(env.get("CONVENTIO_SMTP_TIMEOUT", "20")),
        )


@dataclass(frozen=True)
class JobSettings:
    broker_url: str | None = None          # None: the embedded default, jobs inside `conventio serve`
    queue: str = "conventio"
    timer_interval: float = 1.0            # seconds between two looks for due timers (beat: 1 s at least)
    reminder_interval: float = 60.0
    escalation_delay_hours: float = 48.0   # after the due date, before the director is told
    indicators_at: str = "02:30"           # local time of the nightly indicators
    timezone: str = "Europe/Paris"
    max_retries: int = 8
    retry_backoff: int = 5                 # seconds, doubled at each retry: about 20 min in all
    retry_backoff_max: int = 600           # below the broker's visibility timeout
    retry_jitter: bool = True
    notification_lease: float = 120.0      # must outlast one SMTP conversation
    visibility_timeout: int = 3600         # Redis: unacknowledged jobs of a dead worker come back after it
    base_url: str = "http://localhost:5000"
    mail_domain: str | None = None         # username@domain when an account has no address
    smtp: SmtpSettings = field(default_factory=SmtpSettings)

    @property
    def embedded(self):
        return not self.broker_url

    def require_broker(self):
        if self.embedded:
            raise JobsMisconfigured(
                "Aucun broker n’est configuré (CONVENTIO_BROKER_URL) : avec la configuration embarquée, "
                "les tâches de fond tournent dans « conventio serve ». Pour des workers séparés, "
                "définissez par exemple CONVENTIO_BROKER_URL=redis://127.0.0.1:6379/0.")
        return self

    @classmethod
    def from_env(cls, env=None, **overrides):
        env = os.environ if env is None else env
        settings = cls(
            broker_url=env.get("CONVENTIO_BROKER_URL") or None,
            queue=env.get("CONVENTIO_JOBS_QUEUE", "conventio"),
            timer_interval=float(env.get("CONVENTIO_TIMER_INTERVAL", "1")),
            reminder_interval=float(env.get("CONVENTIO_REMINDER_INTERVAL", "60")),
            escalation_delay_hours=float(env.get("CONVENTIO_ESCALATION_DELAY_HOURS", "48")),
            indicators_at=env.get("CONVENTIO_INDICATORS_AT", "02:30"),
            timezone=env.get("CONVENTIO_TIMEZONE", "Europe/Paris"),
            max_retries=int(env.get("CONVENTIO_JOB_MAX_RETRIES", "8")),
            retry_backoff=int(env.get("CONVENTIO_JOB_RETRY_BACKOFF", "5")),
            retry_backoff_max=int(env.get("CONVENTIO_JOB_RETRY_BACKOFF_MAX", "600")),
            retry_jitter=_flag(env.get("CONVENTIO_JOB_RETRY_JITTER", "1")),
            notification_lease=float(env.get("CONVENTIO_NOTIFICATION_LEASE", "120")),
            visibility_timeout=int(env.get("CONVENTIO_BROKER_VISIBILITY_TIMEOUT", "3600")),
            base_url=env.get("CONVENTIO_BASE_URL", "http://localhost:5000").rstrip("/"),
            mail_domain=env.get("CONVENTIO_MAIL_DOMAIN") or None,
            smtp=SmtpSettings.from_env(env),
        )
        return replace(settings, **overrides)
