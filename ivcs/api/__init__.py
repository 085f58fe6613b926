"""The JSON API (django-ninja) under /api/v1/: authentication, the error envelope, the routers."""
