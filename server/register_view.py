"""The booklet register of an instance, as the instance page shows it: where the booklets
are by format, and every move with who recorded it and when."""
from flask_babel import gettext as _, lazy_gettext as _l

from workflows.errors import InvalidData
from workflows.services.registers import describe_register

MOVE_LABELS = {
    "dotation_prescripteur": _l("Dotation au prescripteur"),
    "retour_stock": _l("Retour en stock"),
    "remise_beneficiaire": _l("Remise au bénéficiaire"),
}


def register_view(data):
    """None when the instance keeps no register; else its state, moves and any refusal."""
    register = (data or {}).get("registre_carnets")
    if not isinstance(register, dict):
        return None
    try:
        state = describe_register(register)
    except InvalidData as refused:   # a register that does not replay is shown as such
        return {"error": refused.message, "formats": [], "moves": [], "alerts": []}
    return {"error": None, "formats": _formats(state), "moves": _receptions(register) + _moves(register),
            "alerts": data.get("alertes_attribution") or []}


def _formats(state):
    counts = {}
    for place, rows in (("recus", state["recus"]), ("en_stock", state["en_stock"]), ("remis", state["remis"]),
                        *(("chez_prescripteurs", rows) for rows in state["chez_prescripteurs"].values())):
        for row in rows:
            by_place = counts.setdefault(row["cheques_par_carnet"], {})
            by_place[place] = by_place.get(place, 0) + row["nombre_carnets"]
    return [{"size": size, **{key: places.get(key, 0) for key in
                              ("recus", "en_stock", "chez_prescripteurs", "remis")}}
            for size, places in sorted(counts.items())]


def _receptions(register):
    return [{"on": r["le"], "label": _("Réception (carnets de %(size)s pass)", size=r["cheques_par_carnet"]),
             "ranges": _ranges(r["carnets"]), "source": r.get("emetteur") or "", "destination": "stock",
             "by": r["par"]} for r in register.get("receptions") or []]


def _moves(register):
    rows = []
    for move in register.get("mouvements") or []:
        beneficiary = (move.get("beneficiaire") or {}).get("identifiant")
        rows.append({"on": move["le"], "label": str(MOVE_LABELS.get(move["type"], move["type"])),
                     "ranges": _ranges(move["carnets"]), "source": move.get("de") or "stock",
                     "destination": move.get("vers") or beneficiary or "stock", "by": move["par"]})
    return rows


def _ranges(ranges):
    return ", ".join(r["premier"] if r["premier"] == r["dernier"] else f"{r['premier']} à {r['dernier']}"
                     for r in ranges)
