"""PDF conversion with LibreOffice headless, in batches.

Measured on a 2-core machine: starting soffice costs about 0.9 s with a warm
profile (1.4 s the first time), converting one page about 0.07 s. So we
convert many files per call (`soffice --convert-to pdf f1 f2 ...`) and keep the
profile between calls. unoserver would save the start-up too, but needs
python3-uno and a resident server; batching reaches the target without either.

Two soffice processes sharing one profile silently lose PDFs: each converter
owns its own profile directory and runs one conversion at a time (a lock);
each process (e.g. each Celery worker) gets its own default converter.
"""

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from .errors import PdfConversionError, PdfUnavailable

START_TIMEOUT_S = 60
PER_FILE_TIMEOUT_S = 10


def find_soffice() -> str:
    """The LibreOffice executable: CONVENTIO_SOFFICE, else soffice or libreoffice on PATH."""
    configured = os.environ.get("CONVENTIO_SOFFICE")
    if configured:
        if shutil.which(configured):
            return shutil.which(configured)
        raise PdfUnavailable(f"CONVENTIO_SOFFICE désigne « {configured} », introuvable")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable()


def pdf_available() -> bool:
    try:
        find_soffice()
    except PdfUnavailable:
        return False
    return True


def _batches(paths: list[Path]) -> list[list[Path]]:
    """Split so that no batch holds two files with the same stem (same PDF name)."""
    batches: list[list[Path]] = []
    for path in paths:
        batch = next((b for b in batches if all(p.stem != path.stem for p in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(path)
    return batches


class PdfConverter:
    """One LibreOffice profile, used by one conversion at a time."""

    def __init__(self, soffice: str | None = None):
        self.soffice = soffice or find_soffice()
        self.profile_dir = Path(tempfile.mkdtemp(prefix="conventio-soffice-"))
        self._lock = threading.Lock()

    def convert(self, docx_paths, out_dir: Path | str | None = None) -> list[Path]:
        """Convert .docx files to PDF; returns the PDF paths in input order.

        `out_dir` defaults to each batch's first file's folder. Raises
        PdfConversionError naming every file LibreOffice did not convert.
        """
        paths = [Path(p).resolve() for p in docx_paths]
        produced = {}
        with self._lock:
            for batch in _batches(paths):
                target = Path(out_dir) if out_dir else batch[0].parent
                produced.update(self._convert_batch(batch, target.resolve()))
        return [produced[path] for path in paths]

    def _convert_batch(self, batch: list[Path], out_dir: Path) -> dict[Path, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        expected = {path: out_dir / f"{path.stem}.pdf" for path in batch}
        for pdf in expected.values():
            pdf.unlink(missing_ok=True)  # a stale PDF must not pass for a new one
        self._run(batch, out_dir)
        missing = [
            path.name for path, pdf in expected.items()
            if not pdf.is_file() or not pdf.stat().st_size
        ]
        if missing:
            raise PdfConversionError(
                f"LibreOffice n'a pas produit le PDF de : {', '.join(missing)}."
            )
        return expected

    def _run(self, batch: list[Path], out_dir: Path) -> None:
        command = [
            self.soffice, f"-env:UserInstallation={self.profile_dir.as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, batch),
        ]
        timeout = START_TIMEOUT_S + PER_FILE_TIMEOUT_S * len(batch)
        # A new session lets us kill soffice.bin too, not only its launcher script.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionError(
                f"LibreOffice n'a pas terminé la conversion en {timeout} s."
            ) from None
        if process.returncode != 0:
            raise PdfConversionError(
                f"LibreOffice a échoué (code {process.returncode}) : "
                f"{output.decode(errors='replace').strip()[:500]}"
            )

    def close(self) -> None:
        shutil.rmtree(self.profile_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


_default: dict[int, PdfConverter] = {}
_default_lock = threading.Lock()


def default_converter() -> PdfConverter:
    """This process's converter (a forked worker must not reuse its parent's profile)."""
    with _default_lock:
        converter = _default.get(os.getpid())
        if converter is None:
            converter = _default[os.getpid()] = PdfConverter()
            atexit.register(converter.close)  # the profile is ours: leave no temp dir
        return converter


def convert_to_pdf(docx_paths, out_dir: Path | str | None = None) -> list[Path]:
    """Convert with this process's converter. Raises PdfUnavailable without LibreOffice."""
    return default_converter().convert(docx_paths, out_dir)
