"""The dashboard's figures on PostgreSQL: the same hand-computed checks as on SQLite (grouped sums of
numerics, months folded from dates, the window function of the process analytics)."""
import pytest

from test_dashboard import fixture  # noqa: F401 (the fixture, on this module's database)
from test_dashboard import test_a_grouping_sees_its_territories_and_an_administrator_all  # noqa: F401
from test_dashboard import test_the_figures_of_a_territory_computed_by_hand  # noqa: F401
from test_dashboard_territory import test_one_territory_computed_by_hand  # noqa: F401
from test_dashboard_territory import test_the_follow_up_of_a_grouping_and_the_refusals  # noqa: F401
from test_dashboard_territory import test_the_portfolio_sorted_and_filtered  # noqa: F401
from test_dashboard_territory import test_exports_open_with_the_same_figures  # noqa: F401
from test_dashboard_territory import test_time_spent_at_each_element  # noqa: F401
from web_helpers import OTHER_TERRITORY, OTHER_USERS, PASSWORD
from server.demo import create_demo
from workflows.config import Settings
from workflows.services import open_conventio
from workflows.services.users import add_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def conventio(postgres_url, tmp_path):
    """The web tests' prepared database (demo users, library deployed), on PostgreSQL."""
    opened = open_conventio(Settings.from_env(env={}, data_dir=tmp_path, database_url=postgres_url))
    create_demo(opened, password=PASSWORD)
    for username, role in OTHER_USERS.items():
        add_user(opened, username, [role], [OTHER_TERRITORY], PASSWORD, username)
    yield opened
    opened.close()
