"""WSGI entry point for production web servers.

    gunicorn --worker-class gthread --workers 1 --threads 100 --bind 0.0.0.0:5000 wayfinder.wsgi:app

One gunicorn worker per web container: Socket.IO needs sticky sessions, which gunicorn's own balancing
cannot give, so scale out with more containers behind a sticky load balancer; the Redis message queue
joins them. Each WebSocket holds one thread (simple-websocket in threading mode).
"""

from wayfinder.app import create_app

app = create_app()
