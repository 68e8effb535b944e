"""Sessions in the database, as Django's own engine keeps them (logging out deletes the row:
she is logged out everywhere), read on each request by one plain query: the ORM costs more
to build that query than the database takes to answer it, on every page.

SESSION_ENGINE = "nailpro.sessions". The class keeps Django's name, SessionStore: the name
salts the session's signature, so the sessions already open stay valid."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        # Names from the model, quoted; the values as parameters.
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)}"  # noqa: S608
            f" WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's engine, a new session
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
