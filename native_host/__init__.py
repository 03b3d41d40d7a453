"""Goen's native messaging host: the browser starts it to learn how to reach the companion.

framing.py reads and writes the length-prefixed JSON frames, dispatch.py answers each message,
launcher.py starts the companion and asks it for launch links, main.py checks the caller and runs
the loop, install.py writes the browsers' host manifests. PROTOCOL.md describes it all.
"""
