"""Eval datasets, each turned into a store (products and chunks) and questions."""
