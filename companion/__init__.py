"""Goen companion: stores what the browser extension captures and helps keep up a network."""

__version__ = "0.1.0"
