"""Document generation bench: render time per template, PDF conversions per second.

    PYTHONPATH=. python bench/documents.py [--renders N] [--pdf-docs M] [--no-pdf]

Prints a table, then LAST one JSON line:
    {"render_ms": {"<template>": median ms, ...}, "pdf_per_s": documents per second}
Targets: every render under 100 ms; PDF at least 5 documents per second.
A render is the whole use case: context built from the example data, template
rendered in the sandbox, .docx bytes produced. The PDF rate is that of a warm
converter (its profile already created, as in a running worker) converting one
batch of M documents in one soffice call, start-up included; the first, cold
batch is shown in the table too.
"""

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflows.documents import PdfConverter, pdf_available, render_document  # noqa: E402
from workflows.documents.examples import EXAMPLES  # noqa: E402

RENDER_TARGET_MS = 100
PDF_TARGET_PER_S = 5


def median_render_ms(name: str, renders: int) -> float:
    render_document(name, EXAMPLES[name])  # warm-up: imports, fonts, compiled template
    timings = []
    for _ in range(renders):
        start = time.perf_counter()
        render_document(name, EXAMPLES[name])
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def write_documents(folder: Path, count: int) -> list[Path]:
    paths = []
    for index, name in zip(range(count), itertools.cycle(EXAMPLES), strict=False):
        path = folder / f"{index:03d}_{name}.docx"
        path.write_bytes(render_document(name, EXAMPLES[name]).content)
        paths.append(path)
    return paths


def pdf_rates(count: int) -> tuple[float, float]:
    """(cold, warm) documents per second for one batch of `count` documents."""
    with tempfile.TemporaryDirectory() as folder, PdfConverter() as converter:
        paths = write_documents(Path(folder), count)
        rates = []
        for attempt in ("cold", "warm"):
            start = time.perf_counter()
            converter.convert(paths, Path(folder) / attempt)
            rates.append(count / (time.perf_counter() - start))
        return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--pdf-docs", type=int, default=24)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()

    render_ms = {name: round(median_render_ms(name, args.renders), 1) for name in EXAMPLES}
    print(f"{'modèle':30} {'rendu médian (ms)':>18}  objectif < {RENDER_TARGET_MS} ms")
    for name, ms in render_ms.items():
        print(f"{name:30} {ms:18.1f}  {'ok' if ms < RENDER_TARGET_MS else 'TROP LENT'}")

    pdf_per_s = None
    if args.no_pdf or not pdf_available():
        print("PDF : non mesuré (LibreOffice absent ou --no-pdf)")
    else:
        cold, warm = pdf_rates(args.pdf_docs)
        pdf_per_s = round(warm, 2)
        print(f"PDF, lot de {args.pdf_docs} documents : {cold:.2f} doc/s (profil neuf), "
              f"{warm:.2f} doc/s (profil chaud)  objectif >= {PDF_TARGET_PER_S} : "
              f"{'ok' if warm >= PDF_TARGET_PER_S else 'TROP LENT'}")
    print(json.dumps({"render_ms": render_ms, "pdf_per_s": pdf_per_s}))


if __name__ == "__main__":
    main()
