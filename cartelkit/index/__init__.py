"""Stage 3, index: one Whoosh index with three record kinds (article, statement, event).

Only :mod:`cartelkit.index.whoosh_index` imports whoosh. :mod:`cartelkit.index.store`
keeps the manifest (the commit point), generations and the build lock.
"""
