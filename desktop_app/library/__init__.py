"""The clinic's case library (issue 24): every `.crmo` file under one folder as a row of a worklist,
with an SQLite index in the per-user cache so that a rescan reads only what changed.

The files stay the truth: the index is a cache that can always be rebuilt from them. No Qt here.
  summary.py   one file → one Row (the course's and the plan's own answers, nothing more)
  scan.py      walking the folder: which files count, stat, read, duplicate MRNs
  index.py     the SQLite cache (where it lives, its permissions, rebuilt when damaged or old)
  output.py    the worklist as JSON ("Library output") and the audit table as CSV
"""
