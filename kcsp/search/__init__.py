"""Site search: an index of every app's public content, queried through the
apps' own visibility rules (see `kcsp.registry.SearchSource`)."""
