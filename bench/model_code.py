"""Cost of running model code in worker processes (workflows/engine/model_runner.py).

Scripts, conditions and timer expressions run in a pool of worker processes, bounded in
time and memory, instead of in the server's interpreter. Measured here:

1. one call (`evaluate` of a condition, `execute` of a small script) over a task data of
   a realistic size, in-process vs through the pool: the per-call overhead;
2. the library's scenarios (tests/scenarios, every step through the services on an
   SQLite file, as tests/test_library.py runs them) with model code in-process vs in the
   pool: the time a step spends in model code, and the number of calls it makes. The
   scenarios' totals include SQLite commits (fsync): on a shared machine they swing by
   several ms per step from run to run, more than the pool costs; the "in model code"
   row, timed around each call, is the measure of the pool's overhead.

Prints a table, then one JSON line.
usage: python bench/model_code.py [--calls 2000] [--rounds 2]
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from workflows.engine import Engine  # noqa: E402
from workflows.engine.model_runner import ModelRunner  # noqa: E402
from workflows.engine.sandbox import RestrictedEnvironment  # noqa: E402
from workflows.services import SCRIPT_FUNCTIONS_REFERENCE, open_conventio  # noqa: E402

CONDITION = "resultat_vote['adopte'] and montant_achat_prevu_ht > 10000"
SCRIPT = "total = montant_achat_prevu_ht * 1.2\nlibelle = nommer_territoire(territoire)"


def task_data(fields=80):
    """A task data of the library's size: some tens of fields, a few nested."""
    data = {f"champ_{index}": f"valeur du champ {index} " * 3 for index in range(fields)}
    data.update(territoire="972", montant_achat_prevu_ht=20800, nombre_pass_prevus=2080,
                resultat_vote={"adopte": True, "pour": 12, "contre": 3, "message": None},
                partenaires=[{"nom": f"Partenaire {i}", "siret": "1" * 14, "passes": 100} for i in range(10)])
    return data


def per_call(environment, calls):
    """Median microseconds of one evaluate and of one execute, over `calls` of each."""
    data = task_data()
    environment.evaluate(CONDITION, data)       # warm: compiled, worker ready
    timings = {"evaluate": [], "execute": []}
    for _ in range(calls):
        begun = time.perf_counter()
        environment.evaluate(CONDITION, data)
        timings["evaluate"].append(time.perf_counter() - begun)
        context = dict(data)
        begun = time.perf_counter()
        environment.execute(SCRIPT, context)
        timings["execute"].append(time.perf_counter() - begun)
    return {kind: statistics.median(values) * 1e6 for kind, values in timings.items()}


class Timed:
    """Counts the model-code calls of an environment and the seconds spent in them."""

    def __init__(self, environment):
        self.environment, self.calls, self.seconds = environment, 0, 0.0
        self.evaluate_inner, self.execute_inner = environment.evaluate, environment.execute
        environment.evaluate, environment.execute = self.evaluate, self.execute

    def evaluate(self, *args, **kwargs):
        begun = time.perf_counter()
        try:
            return self.evaluate_inner(*args, **kwargs)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - begun

    def execute(self, *args, **kwargs):
        begun = time.perf_counter()
        try:
            return self.execute_inner(*args, **kwargs)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - begun


def scenarios(isolated):
    """(seconds for every scenario, steps, model-code calls, seconds spent in them)."""
    from helpers import ADMIN, sqlite_settings
    from test_library import LIBRARY, SCENARIOS, run_scenario
    from workflows.services.deploy import deploy_paths

    with tempfile.TemporaryDirectory() as folder:
        app = open_conventio(sqlite_settings(Path(folder)))
        app.engine = Engine(functions=SCRIPT_FUNCTIONS_REFERENCE, script_budget_seconds=5.0, isolated=isolated)
        timed = Timed(app.engine.script_engine.environment)
        deploy_paths(app, [LIBRARY], ADMIN)
        loaded = [json.loads(path.read_text()) for path in sorted(SCENARIOS.glob("*.json"))]
        steps = sum(len(scenario["steps"]) - 1 for scenario in loaded)
        begun = time.perf_counter()
        for scenario in loaded:
            run_scenario(app, scenario)
        elapsed = time.perf_counter() - begun
        app.close()
    return elapsed, steps, timed.calls, timed.seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="scenario runs of each mode (best kept)")
    args = parser.parse_args()

    runner = ModelRunner(SCRIPT_FUNCTIONS_REFERENCE)
    functions = Engine(functions=SCRIPT_FUNCTIONS_REFERENCE, isolated=False).script_engine.environment.globals
    here = per_call(RestrictedEnvironment(functions), args.calls)
    pooled = per_call(RestrictedEnvironment(functions, runner=runner), args.calls)
    runner.close()
    print(f"one call over a task data of {len(task_data())} fields (median of {args.calls}, microseconds)")
    print(f"{'':12}{'in-process':>12}{'pool':>12}{'overhead':>12}")
    for kind in ("evaluate", "execute"):
        print(f"{kind:12}{here[kind]:12.0f}{pooled[kind]:12.0f}{pooled[kind] - here[kind]:12.0f}")

    runs = {False: [], True: []}
    for _ in range(args.rounds):
        for isolated in (False, True):
            runs[isolated].append(scenarios(isolated))
    (here_s, steps, calls, here_in), (pool_s, _, _, pool_in) = min(runs[False]), min(runs[True])
    print(f"\nthe library's {len(list((ROOT / 'tests' / 'scenarios').glob('*.json')))} scenarios, "
          f"{steps} steps, {calls} model-code calls (best of {args.rounds})")
    print(f"{'':22}{'in-process':>12}{'pool':>12}{'overhead':>12}")
    print(f"{'total s':22}{here_s:12.2f}{pool_s:12.2f}{pool_s - here_s:12.2f}")
    print(f"{'per step ms':22}{here_s / steps * 1e3:12.2f}{pool_s / steps * 1e3:12.2f}"
          f"{(pool_s - here_s) / steps * 1e3:12.2f}")
    print(f"{'in model code, ms/step':22}{here_in / steps * 1e3:12.2f}{pool_in / steps * 1e3:12.2f}"
          f"{(pool_in - here_in) / steps * 1e3:12.2f}")
    print(json.dumps({
        "call_us": {"in_process": here, "pool": pooled},
        "scenarios": {"steps": steps, "model_code_calls": calls, "in_process_s": round(here_s, 3),
                      "pool_s": round(pool_s, 3), "overhead_ms_per_step": round((pool_s - here_s) / steps * 1e3, 3),
                      "model_code_ms_per_step": {"in_process": round(here_in / steps * 1e3, 3),
                                                 "pool": round(pool_in / steps * 1e3, 3)}},
    }))


if __name__ == "__main__":
    main()
