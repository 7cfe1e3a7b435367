"""wuxi-archive: scraped Chinese news pages in, a clean offline archive out."""

__version__ = "0.1.0"
