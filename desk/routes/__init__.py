"""The desk's HTTP routes, one module per part of the API or the pages; the rules they apply live in desk/."""
