"""IVCS, the Integrated Value Chain System: a Django project with framework-free engines."""

__version__ = "0.1.0"
