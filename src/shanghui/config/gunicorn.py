"""gunicorn's settings for `make run` (``gunicorn -c python:shanghui.config.gunicorn``).

Processes × threads answer requests; a deep listen queue holds a burst — 200 members tapping
the registration link at once — until a thread is free, instead of refusing connections as
Django's development server did (160 of 200 registrations were reset; against make run, 200
simultaneous requests of the application page were all answered by hand — the bench will
measure the registration burst). Threads suit this application: a
request mostly waits on the database. HOST, PORT, WEB_WORKERS and WEB_THREADS come from the
environment (the Makefile sets them)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
backlog = 2048
timeout = 60
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# gunicorn's control socket (one fixed path in the home directory) would collide between two
# servers on one machine — make run beside the test suite's server; nothing here uses it.
control_socket_disable = True
