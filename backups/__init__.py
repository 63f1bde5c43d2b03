"""The operator's backups: the database, the media and the secret key in one dated archive.

``manage.py backup`` writes one, ``manage.py restore`` puts it back (``services.py``);
``archive.py`` knows the archive's layout and refuses anything else, ``databases.py``
dumps and loads each database engine. No models: nothing here is kept in the database.
"""
