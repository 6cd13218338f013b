"""Personal data: what the product holds about one shopper, exported and erased in one place."""
