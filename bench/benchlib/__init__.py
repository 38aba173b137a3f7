"""Pieces of bench/run: servers, wrk, machine facts, fixtures and the report."""
