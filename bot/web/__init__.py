"""The back-office: server-rendered pages (aiohttp and Jinja2) for the commune's staff, in
French and Arabic, on the same use cases as the CLI and the staff chat. A page handler
reads the request, calls a use case and renders; no business rule lives here."""
