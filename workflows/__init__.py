"""Conventio core."""
