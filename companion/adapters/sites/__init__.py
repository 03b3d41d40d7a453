"""Site adapters, one module per site (``linkedin.py``, ``x.py``, …).

Every module in this package is an adapter (see companion/adapters/README.md) and is found by
the registry without being listed anywhere. A module may set ``PRIORITY`` (default 100; lower
is tried first): adapters that recognise a site by its markup on any host, such as Mastodon's,
use a higher number so that host-specific adapters are tried before them.
"""
