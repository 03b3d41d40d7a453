"""The JSON API. Version 1 lives in companion/api/v1.py; docs/API.md describes every route."""
