"""Settings read from CONVENTIO_* environment variables, once, by the entry point."""
import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    bpmn_dir: Path
    sqlite_synchronous: str = "FULL"
    instance_cache_size: int = 500
    spec_cache: bool = True
    documents_dir: Path | None = None
    secret_key: str = ""
    script_budget_seconds: float = 5.0

    @classmethod
    def from_env(cls, env=None, **overrides):
        env = os.environ if env is None else env
        data_dir = Path(env.get("CONVENTIO_DATA_DIR", "conventio-data")).resolve()
        settings = cls(
            data_dir=data_dir,
            database_url=env.get("CONVENTIO_DATABASE_URL") or f"sqlite:///{data_dir / 'conventio.db'}",
            bpmn_dir=Path(env.get("CONVENTIO_BPMN_DIR", PROJECT_ROOT / "bpmn")),
            sqlite_synchronous=env.get("CONVENTIO_SQLITE_SYNCHRONOUS", "FULL").upper(),
            instance_cache_size=int(env.get("CONVENTIO_INSTANCE_CACHE", "500")),
            spec_cache=env.get("CONVENTIO_SPEC_CACHE", "1") != "0",
            documents_dir=Path(env["CONVENTIO_DOCUMENTS_DIR"]) if env.get("CONVENTIO_DOCUMENTS_DIR") else None,
            secret_key=env.get("CONVENTIO_SECRET_KEY", ""),
            script_budget_seconds=float(env.get("CONVENTIO_SCRIPT_BUDGET", "5")),
        )
        return replace(settings, **overrides)
