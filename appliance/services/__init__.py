"""Application services: the commands of the appliance, between the pure rules (``domain/``) and
the SQL (``store/``).

Each command runs in one unit of work (:mod:`appliance.services.uow`): one SQLite transaction
with its audit and outbox rows, its bus events published after the commit. The web views, the
GPIO buttons and the command line call these services; none of them writes a table itself.
"""
