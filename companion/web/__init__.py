"""The local web view (docs/WEBVIEW.md): the one-time launch link (launch.py) that turns into a
session cookie (sessions.py), and the server-rendered pages (pages.py and pages_*.py) with their
templates, scripts and vendored libraries."""
