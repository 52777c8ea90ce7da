"""The OpenStack service building block, shared by every API service kind.

What each API service needs from the rest of the cloud, written once: its database, user
and schema on Galera through the DB VIP (``database``); its Keystone user, role and catalog
entries on the VIPs (``identity``, with ``registrar`` run on the Keystone leader); its
config sections for the database, Keystone auth, RabbitMQ with quorum queues (checked in
``messaging``) and memcached (``config``); its APIs in Apache instances on the unit ports
behind HAProxy (``wsgi``, ``api``) and its daemons (``daemon``). ``service.api_service``
makes a kind's ``Service`` from an ``ApiSpec``: a kind's package says only what is its own.
"""
