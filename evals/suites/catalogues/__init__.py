"""Store catalogues a suite's `catalogue` names (WooCommerce wc/v3 JSON, gzipped, the layout
of cli/demo/catalogue.json.gz). A package only so an installed wheel ships the data."""
