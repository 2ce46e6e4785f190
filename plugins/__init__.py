"""Beancount plugins that derive what the leak implies. See docs/model.md."""
