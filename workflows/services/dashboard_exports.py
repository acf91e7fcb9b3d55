"""The dashboard's tables as CSV (French: « ; » and decimal commas, UTF-8 with its BOM for Excel)
and XLSX (openpyxl: numbers stay numbers). The tables are the ones the page shows, from the same
figures."""
import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..errors import InvalidData

TEXT, NUMBER, PERCENT, EUROS = "text", "number", "percent", "euros"

COLUMNS = {
    "territoires": ("Par territoire", [
        ("territory", "Code", TEXT), ("name", "Territoire", TEXT), ("instances", "Procédures", NUMBER),
        ("running", "En cours", NUMBER), ("errors", "En erreur", NUMBER), ("overdue", "Tâches en retard", NUMBER),
        ("blocked", "Tâches bloquées", NUMBER)]),
    "chaines": ("Chaînes", [
        ("instance_id", "N°", NUMBER), ("title", "Procédure", TEXT), ("territory", "Territoire", TEXT),
        ("status", "État", TEXT), ("phase_name", "Phase", TEXT), ("phases_done", "Phases faites", NUMBER),
        ("phases_total", "Phases", NUMBER), ("progress_pct", "Avancement (%)", PERCENT),
        ("overdue_tasks", "Tâches en retard", NUMBER), ("blocked_tasks", "Tâches bloquées", NUMBER),
        ("updated_at", "Mise à jour", TEXT)]),
    "retards": ("Tâches en retard", [
        ("task_id", "Tâche n°", TEXT), ("name", "Tâche", TEXT), ("title", "Procédure", TEXT),
        ("territory", "Territoire", TEXT), ("held_by", "Prise par", TEXT), ("role_label", "Rôle", TEXT),
        ("since", "Depuis", TEXT), ("days", "Jours", NUMBER), ("due_at", "Échéance", TEXT)]),
    "echeances": ("Échéances", [
        ("due_on", "Date", TEXT), ("territory", "Territoire", TEXT), ("what", "Échéance", TEXT)]),
    "parcours": ("Parcours des passes", [
        ("territory", "Territoire", TEXT), ("received", "Reçus", NUMBER),
        ("with_prescribers", "Confiés aux prescripteurs", NUMBER), ("handed", "Remis aux bénéficiaires", NUMBER),
        ("redeemed", "Encaissés", NUMBER), ("credited", "Avoirs", NUMBER), ("in_stock", "En stock", NUMBER),
        ("lost", "Perdus ou détruits", NUMBER), ("usage_pct", "Taux d’usage (%)", PERCENT)]),
    "formats": ("Par format", [
        ("size", "Carnet de", NUMBER), ("received", "Carnets reçus", NUMBER),
        ("with_prescribers", "Carnets confiés", NUMBER), ("handed", "Carnets remis", NUMBER),
        ("passes_received", "Passes reçus", NUMBER), ("passes_handed", "Passes remis", NUMBER)]),
    "prescripteurs": ("Par prescripteur", [
        ("prescriber", "Prescripteur", TEXT), ("with_prescriber", "Passes confiés", NUMBER),
        ("handed", "Passes remis", NUMBER)]),
    "publics": ("Par public", [
        ("public", "Public", TEXT), ("pic", "Public PIC", TEXT), ("beneficiaries", "Bénéficiaires", NUMBER),
        ("passes", "Passes remis", NUMBER)]),
    "mois": ("Par mois", [
        ("month", "Mois", TEXT), ("handed", "Passes remis", NUMBER), ("redeemed", "Passes encaissés", NUMBER)]),
    "campagnes": ("Par campagne", [
        ("title", "Campagne", TEXT), ("opened_on", "Ouverte le", TEXT), ("received", "Passes reçus", NUMBER),
        ("handed", "Passes remis", NUMBER), ("redeemed", "Passes encaissés", NUMBER)]),
    "suivi_anct": ("Suivi ANCT", [
        ("territory", "Code", TEXT), ("name", "Territoire", TEXT), ("received", "Passes reçus", NUMBER),
        ("handed", "Passes remis", NUMBER), ("pic_handed", "dont public PIC", NUMBER),
        ("pic_pct", "Part PIC (%)", PERCENT), ("pic_min_pct", "Part PIC minimale (%)", PERCENT),
        ("distribution_pct", "Taux de distribution (%)", PERCENT), ("redeemed", "Passes encaissés", NUMBER),
        ("usage_pct", "Taux d’usage (%)", PERCENT), ("credited", "Passes en avoir", NUMBER),
        ("beneficiaries", "Bénéficiaires", NUMBER),
        ("priority_area_beneficiaries", "dont en quartier prioritaire", NUMBER),
        ("priority_area_pct", "Part en quartier prioritaire (%)", PERCENT),
        ("money.order_face_value", "Commande, valeur faciale (€)", EUROS),
        ("money.issuer_fees", "Frais de l’émetteur (€)", EUROS),
        ("money.paid_to_places", "Payé aux lieux de médiation (€)", EUROS),
        ("money.state_share_owed", "Part de l’État due (€)", EUROS)]),
}
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export(table, rows, fmt, name):
    """(bytes, mimetype, file name) of `rows` as the table `table` in `fmt`."""
    check_export(table, fmt)
    title, columns = COLUMNS[table]
    values = [[_value(row, key, kind) for key, _, kind in columns] for row in rows]
    content = _xlsx(title, columns, values) if fmt == "xlsx" else _csv(columns, values)
    return content, FORMATS[fmt], f"{name}-{table}.{fmt}"


def check_export(table, fmt):
    """InvalidData naming the field, for a table or a format the dashboard does not export."""
    if table not in COLUMNS:
        raise InvalidData(f"« tableau » : tableau inconnu « {table} » (attendu : {', '.join(COLUMNS)}).",
                          {"tableau": "tableau inconnu"})
    if fmt not in FORMATS:
        raise InvalidData(f"« format » : format inconnu « {fmt} » (attendu : csv ou xlsx).", {"format": "csv ou xlsx"})


def _value(row, key, kind):
    for part in key.split("."):
        row = row.get(part) if isinstance(row, dict) else None
    if isinstance(row, bool):
        return "oui" if row else "non"
    if kind == EUROS and row is not None:
        return Decimal(row)
    return row


def _csv(columns, values):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _, header, _ in columns])
    for line in values:
        writer.writerow(["" if v is None else str(v).replace(".", ",") if isinstance(v, (float, Decimal)) else v
                         for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(title, columns, values):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, text, bold) for _, text, _ in columns])
    euros = [i for i, (_, _, kind) in enumerate(columns) if kind == EUROS]
    for line in values:
        for i in euros:   # a style per cell costs more than the cell: only the euros get theirs
            line[i] = _euros(sheet, line[i])
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_cell(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _euros(sheet, value):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=float(value))
    cell.number_format = "#,##0.00"
    return cell
