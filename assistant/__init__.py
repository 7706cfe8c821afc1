"""Hotline assistant: a voice and SMS assistant for older people without smartphones."""

__version__ = "0.1.0"
