"""WSGI entry point for production web servers.

    gunicorn -c python:wayfinder.gunicorn_conf --worker-class gevent --workers 1 --worker-connections 10000 \
        --keep-alive 75 --bind 0.0.0.0:5000 wayfinder.wsgi:app

(`wayfinder.gunicorn_conf` makes the errors gunicorn answers itself, e.g. 414 for an over-long URL, JSON.)

Keep idle connections open longer than the load balancer in front does (75 s against the common 60 s), so
the balancer closes them, never the server while a request is on its way (gunicorn's default is 2 s).

Why gevent: every open canvas keeps a Socket.IO WebSocket open for as long as it is shown. Under gthread each
one held a request thread until it closed, so N threads meant N canvases and then nothing: REST calls and
/healthz queued behind the sockets. Under gunicorn's gevent worker (Flask-SocketIO's documented deployment,
WebSockets by simple-websocket) a connection is a greenlet: thousands of sockets cost memory, not threads, and
requests keep being answered. The database drivers cooperate: psycopg 3 waits through gevent (3.1.14+), redis-py
and RQ are pure-Python sockets; SQLite calls run in C without yielding, which is fine for the short reads a
request does (see `extensions.make_engine` for lock waits). Template renders keep their time budget: the
watchdog runs on a real OS thread (`templating._Watchdog`).

One gunicorn worker per web process: Socket.IO needs sticky sessions, which gunicorn's own balancing cannot
give, so scale out with more web processes behind a sticky load balancer (see docs/architecture.md); the Redis
message queue joins them. Never `--preload`: gevent must patch the process before the app is imported.
"""

from wayfinder.app import create_app

app = create_app()
