"""The OpenStack service building block, shared by every API service kind.

What each API service needs from the rest of the cloud, written once: its database and user
on Galera through the DB VIP (``database``); its config sections for the database, Keystone
auth, RabbitMQ and memcached; its API in an Apache instance on the unit port behind HAProxy.
A kind's package says only what is its own (names, ports, paths, extra steps).
"""
