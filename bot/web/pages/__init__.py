"""One module per part of the back-office; each adds its routes with `add_routes`."""
