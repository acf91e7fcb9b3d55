"""The Conventio and web settings of the current Flask application."""
from flask import current_app


def conventio():
    return current_app.extensions["conventio"]


def web_settings():
    return current_app.extensions["conventio_web"]
