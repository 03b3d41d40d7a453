"""Goen's native messaging host: the browser starts it to learn how to reach the companion.

framing.py reads and writes the length-prefixed JSON frames, dispatch.py answers each message,
main.py checks the caller and runs the loop. PROTOCOL.md describes the messages.
"""
