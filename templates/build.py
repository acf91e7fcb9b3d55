"""Generate the .docx templates of Conventio.

    python templates/build.py [OUTPUT_DIR]      (default: this folder)

The generated files are committed; edit the generator/ modules (not the .docx)
and run this script again, so the templates stay reviewable as code. Variables
are those of the context builders in workflows/documents/contexts (checked by
`conventio templates check`).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator import beneficiaries, conventions, deliberation, procurement  # noqa: E402

TEMPLATES = {
    "extrait_deliberation": deliberation.extrait_deliberation,
    "convention_anct": conventions.convention_anct,
    "convention_relais_commune": conventions.convention_relais_commune,
    "convention_mandat": conventions.convention_mandat,
    "convention_lieu_mediation": conventions.convention_lieu_mediation,
    "reglement_consultation": procurement.reglement_consultation,
    "cahier_des_charges": procurement.cahier_des_charges,
    "lettre_rejet": procurement.lettre_rejet,
    "notification_attribution": procurement.notification_attribution,
    "bon_de_commande": procurement.bon_de_commande,
    "lettre_beneficiaire": beneficiaries.lettre_beneficiaire,
    "rapport_evaluation": beneficiaries.rapport_evaluation,
}


def build_all(output_dir: Path) -> list[Path]:
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = output_dir / f"{name}.docx"
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in build_all(target):
        print(path)
