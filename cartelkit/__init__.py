"""cartelkit: cite-able answers from scraped articles on states, cartels and gangs.

The library is layered like the data flow: ``clean`` (raw page -> Document),
``annotate`` (actors, sentences, statements, events), ``index`` (the one Whoosh
module), ``query`` (search, timeline, stance) and ``render`` (table/json/csv/markdown).
"""

__version__ = "0.1.0"
# bump when cleaning or annotation changes what it outputs (part of every cache key and index manifest)
PIPELINE_VERSION = f"{__version__}+p5"
