"""Beancount plugins that derive what the leak implies. See DESIGN.md."""
