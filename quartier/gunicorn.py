"""gunicorn settings: ``gunicorn -c python:quartier.gunicorn quartier.wsgi:application``.

The access log names no visitor: no client address, user agent or referrer,
only the time, the request line, the status, the size and the duration. The
portal stores no IP addresses, and its own logs keep to that.
"""

accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
