"""The release, and the version of what cleaning and annotation output."""

__version__ = "0.1.0"
# bump when cleaning or annotation changes what it outputs (part of every cache key and index manifest)
PIPELINE_VERSION = f"{__version__}+p5"
