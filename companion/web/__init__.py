"""The local web view. So far only its door: the one-time launch link (launch.py) that turns
into a session cookie (sessions.py); the pages themselves come with a later part."""
