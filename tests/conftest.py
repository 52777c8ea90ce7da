"""Settings for the whole suite.

Property tests run without Hypothesis's per-example deadline: on a loaded two-core machine
an example may take longer than 200 ms, and a timing is a benchmark's business, never a
test verdict's.
"""

from hypothesis import settings

settings.register_profile("hastack", deadline=None)
settings.load_profile("hastack")
