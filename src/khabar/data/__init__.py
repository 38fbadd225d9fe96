"""Data files shipped with khabar: each names its source, licence and date."""
