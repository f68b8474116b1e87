"""gunicorn settings: ``gunicorn -c python:quartier.gunicorn quartier.wsgi:application``.

The access log names no visitor: no client address, user agent, referrer or
query string (filters such as a postcode), only the time, the method, the
path, the status, the size, the duration and the request id (X-Request-ID, the
same as in the JSON error lines and on error pages). The portal stores no IP
addresses, and its own logs keep to that.
"""

accesslog = "-"
access_log_format = (
    '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
)
