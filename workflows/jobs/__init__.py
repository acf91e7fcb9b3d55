"""Background jobs on Celery: timers, reminders and escalations by e-mail, nightly indicators.

make_celery() builds the application (celery_app.py); the job bodies are in tasks.py and
call plain functions (dispatch, reminders, notifications, indicators) that take a
Conventio. With no broker configured, embedded.py runs everything inside `conventio serve`.
"""
