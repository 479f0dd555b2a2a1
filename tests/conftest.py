"""Shared fixtures and the suite's closing report."""
