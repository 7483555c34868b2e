"""PostgreSQL helpers of the Python suites: databases of their own on the server that
scripts/services started (TEST_DATABASE_URL), and plain queries."""

from urllib.parse import urlsplit, urlunsplit

import psycopg2


def with_database(url: str, name: str) -> str:
    """`url` naming another database (or, for a redis:// URL, another db number)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_execute(admin_url: str, sql: str):
    """One statement outside a transaction (CREATE/DROP DATABASE)."""
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def query(database_url: str, sql: str, params=()):
    """The rows of one statement, committed."""
    connection = psycopg2.connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()
