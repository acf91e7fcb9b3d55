"""Due BPMN timers fired while `conventio serve` runs (the embedded default).

One daemon thread calling run_due_timers every `interval` seconds. The jobs issue
replaces this function with Celery beat; firing is idempotent, so running both, or
several servers, never fires a timer twice.
"""
import logging
import threading

from workflows.services.timers import run_due_timers

log = logging.getLogger(__name__)


class TimerLoop:
    def __init__(self, thread, stop_event):
        self.thread = thread
        self._stop = stop_event

    def stop(self, timeout=10):
        self._stop.set()
        self.thread.join(timeout)


def start_timer_loop(conventio, interval):
    stop_event = threading.Event()

    def loop():
        while not stop_event.is_set():
            try:
                report = run_due_timers(conventio)
                if report["fired"] or report["failed"]:
                    log.info("minuteurs : %d déclenché(s), %d échec(s)", report["fired"], len(report["failed"]))
            except Exception:   # a database hiccup must not end the loop
                log.exception("échec du passage des minuteurs")
            stop_event.wait(interval)

    thread = threading.Thread(target=loop, name="conventio-timers", daemon=True)
    thread.start()
    return TimerLoop(thread, stop_event)
