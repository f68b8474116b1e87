"""The site, with the answering worker's process id in a response header.

Only for the staleness measurement: it shows that the fresh page came from
every worker, not from one that happened to answer.
"""

import os

from quartier.wsgi import application as site


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(
            status, [*headers, ("X-Bench-Worker", str(os.getpid()))], exc_info
        )

    return site(environ, start)
