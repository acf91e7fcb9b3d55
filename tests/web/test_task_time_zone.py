"""A task's times are the territory's: a Martinique task's page shows when it was created and
when it is due in Martinique time, and names the zone; a Paris one names none (issue 15)."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from web_helpers import actor, anct_convention_at_review, login
from workflows.services.tasks import get_task
from workflows.services.territories import add_territory


def facts(page):
    found = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    return {dt: re.sub(r"<[^>]+>|\s+", " ", dd).strip()
            for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", found, re.S)}


def shown(moment, zone):
    return format_datetime(datetime.fromisoformat(moment), "short", tzinfo=ZoneInfo(zone), locale="fr")


def test_a_martinique_task_shows_its_times_in_martinique_time(conventio, client):
    add_territory(conventio, actor(conventio, "admin"), code="cap-nord", name="CAP Nord", kind="EPCI",
                  time_zone="America/Martinique")
    _instance_id, review_id = anct_convention_at_review(conventio)
    task = get_task(conventio, review_id, actor(conventio, "directrice"))
    login(client, "directrice")
    shown_facts = facts(client.get(f"/tasks/{review_id}").get_data(as_text=True))
    zone = "America/Martinique"
    assert shown_facts["Créée le"] == f"{shown(task['created_at'], zone)} (heure : Martinique)"
    assert shown_facts["Échéance"] == f"{shown(task['due_at'], zone)} (heure : Martinique)"
    assert shown(task["created_at"], zone) != shown(task["created_at"], "Europe/Paris")


def test_a_paris_task_names_no_zone(conventio, client):
    _instance_id, review_id = anct_convention_at_review(conventio)
    task = get_task(conventio, review_id, actor(conventio, "directrice"))
    login(client, "directrice")
    shown_facts = facts(client.get(f"/tasks/{review_id}").get_data(as_text=True))
    assert shown_facts["Créée le"] == shown(task["created_at"], "Europe/Paris")
