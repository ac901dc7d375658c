"""Whole pages kept in the shared cache, per session, until the next database write.

The heaviest pages (a programme or lesson for a participant, a cohort of 500 people, an
association's diagnostics, the landing page) are read far more often than the data behind them
changes. ``ResponseCacheMiddleware`` keeps the rendered HTML of the views named in
``RENFORT_PAGE_CACHE_VIEWS`` and of the Wagtail page types in ``RENFORT_PAGE_CACHE_PAGE_TYPES``
in the shared cache:

- stamped with the **data generation**, a token that moves on *every* write to the database
  (any ``INSERT``, ``UPDATE``, ``DELETE`` or schema change, through the ORM, ``update()``,
  ``bulk_create`` or raw SQL alike: an execute wrapper on every connection sees them all); an
  entry of another generation is never served. Per-table invalidation would be finer, but a
  page that forgot one of its tables would show stale (or, after a scope change, forbidden)
  data; one generation for everything cannot forget anything;
- under a key made of the **session** (a hash of its key) and the user: nothing rendered for one
  session, user or role is ever served to another, and what the view decided for this session
  (who may see the page) holds until the next write;
- and of the path with its query string, host, scheme, active language and the local date (a
  page may say "upcoming" or "today").

The generation moves when the writing transaction commits (so other processes cannot keep the
old data under the new token) and also at once, the first time a process writes after it last
read the token (so the same connection, inside a transaction, sees its own writes). It lives in
the shared cache: several processes must share one (production asks for Redis).

Only ``GET`` answers of 200 in HTML, rendered without writing anything, setting no cookie,
showing no flash message and not answering htmx, for a URL with no query string but a page
number, are kept. CSRF tokens are taken out of the
stored HTML and a freshly masked one is put back each time it is served. A page is kept
``RENFORT_PAGE_CACHE_SECONDS`` at most (10 minutes by default; 0 turns the cache off);
``migrate`` moves the generation, so a deployment's new templates are not hidden behind the old
pages."""

import hashlib
import re
import string
import threading
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.utils import timezone, translation

GENERATION_KEY = "renfort:data-generation"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP", "TRUNCATE")
_PLACEHOLDER = "\x00renfort-csrf\x00"
# A CSRF token in a page is 64 ASCII letters or digits with none on either side. The page's
# UTF-8 bytes mapped so that those characters (and only they) read "a" show each token as a run
# of exactly 64 "a", which ``bytes.find`` finds in C: ten times faster than a regex scanning a
# 100 kB page character by character (multi-byte characters are never ASCII: runs do not move).
_TOKEN_CHARS = (string.ascii_letters + string.digits).encode()
_TOKEN_CHARS_AS_A = bytes.maketrans(_TOKEN_CHARS, b"a" * len(_TOKEN_CHARS))
_TOKEN_RUN = b"a" * 64
_RUN_END = re.compile(rb"[^a]")

_state = threading.local()
_read_since_bump = threading.Event()


def timeout():
    return getattr(settings, "RENFORT_PAGE_CACHE_SECONDS", 600)


def data_generation(found=None):
    """The current data generation (``found``: the token already read from the cache, if it
    was there)."""
    token = found if found is not None else cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY) or token
    _read_since_bump.set()
    return token


def bump():
    """Draw a new data generation: every cached page is stale from now on."""
    _read_since_bump.clear()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def writes_seen():
    """How many writing statements this thread has sent (to tell whether a view wrote)."""
    return getattr(_state, "writes", 0)


def _is_write(sql):
    return sql.lstrip()[:8].upper().startswith(_WRITES)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _is_write(sql):
        _state.writes = writes_seen() + 1
        connection = context["connection"]
        if not connection.in_atomic_block:
            bump()  # autocommit: the write is visible to everyone already
            return result
        if _read_since_bump.is_set():
            bump()
        # Once more when the transaction commits. Django replaces the ``run_on_commit`` list when
        # the callbacks run or are dropped (commit, rollback, rollback to a savepoint): while the
        # list is the one this callback went into, it is still pending.
        if connection.run_on_commit is not getattr(connection, "_renfort_pending_bump", None):
            connection.on_commit(bump)
            connection._renfort_pending_bump = connection.run_on_commit
    return result


def _install(connection, **kwargs):
    # First in the list: the outermost wrapper, and never the one that the ``pop()`` of a
    # ``connection.execute_wrapper()`` block entered before this connection opened takes away.
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def _bump_after_migrate(**kwargs):
    bump()


def connect():
    connection_created.connect(_install, dispatch_uid="renfort_response_cache_writes")
    post_migrate.connect(_bump_after_migrate, dispatch_uid="renfort_response_cache_migrate")
    for connection in connections.all(initialized_only=True):
        _install(connection)


def _unmask(token):
    mask, cipher = token[:32], token[32:]
    chars = CSRF_ALLOWED_CHARS
    return "".join(
        chars[chars.index(c) - chars.index(m)] for m, c in zip(mask, cipher, strict=True)
    )


def _token_spans(data):
    """Where ``data`` (bytes) holds 64 ASCII letters or digits with none on either side."""
    runs = data.translate(_TOKEN_CHARS_AS_A)
    position = 0
    # Each search starts on a byte that is not "a" (or at 0): what it finds starts a run.
    while (start := runs.find(_TOKEN_RUN, position)) != -1:
        end = start + 64
        if end < len(runs) and runs[end] == ord("a"):  # a longer run: no token; skip it
            after = _RUN_END.search(runs, end)
            position = after.start() if after else len(runs)
            continue
        yield start, end
        position = end


def _without_csrf_tokens(html, secret):
    """``html`` with every CSRF token of ``secret`` replaced by the placeholder."""
    if not secret:
        return html
    data = html.encode("utf-8", "surrogatepass")
    pieces, kept_from = [], 0
    for start, end in _token_spans(data):
        if _unmask(data[start:end].decode("ascii")) == secret:
            pieces += [data[kept_from:start], _PLACEHOLDER.encode()]
            kept_from = end
    if not pieces:
        return html
    pieces.append(data[kept_from:])
    return b"".join(pieces).decode("utf-8", "surrogatepass")


# Only the bare page and its numbered pages are kept: a query string of anyone's choosing must
# not be able to fill the cache with copies of a page.
_KEPT_QUERY = re.compile(r"(page=\d{1,4})?")


def _request_is_cacheable(request):
    return (
        timeout() > 0
        and request.method == "GET"
        and _KEPT_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
        and not request.headers.get("HX-Request")
        and len(get_messages(request)) == 0
    )


def _key(request):
    """The page's key for this session; the data generation is stored in the entry (read with
    it in one round trip), not in the key, so a page re-rendered replaces its stale entry."""
    # The signed-in user as the session names them, without loading them: whatever would turn
    # them away (a new password, a closed account) is a write, and a write makes every kept
    # page stale. Reading it loads the session first: a cookie naming no stored session then
    # leaves no key, so made-up cookies all share the one anonymous copy instead of each
    # filling the cache with its own.
    user_id = str(request.session.get(SESSION_KEY, ""))
    session_key = request.session.session_key or ""
    parts = "\x1f".join(
        (
            hashlib.sha256(session_key.encode()).hexdigest(),
            user_id,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        )
    )
    return "renfort:page:" + hashlib.sha256(parts.encode()).hexdigest()


def _response_is_cacheable(request, response, writes_before):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and writes_seen() == writes_before
        and not request.session.modified
        and "private" not in response.get("Cache-Control", "")
        and response.get("Content-Type", "").startswith("text/html")
    )


def _view_name(view_func):
    return f"{view_func.__module__}.{view_func.__qualname__}"


def mark_cacheable(request):
    """Say that the answer being rendered for ``request`` may be kept (Wagtail pages of the
    types in ``RENFORT_PAGE_CACHE_PAGE_TYPES``: see ``renfort.wagtail_hooks``)."""
    request._renfort_page_cacheable = True


class ResponseCacheMiddleware:
    """Serves the views named in ``RENFORT_PAGE_CACHE_VIEWS``, and Wagtail pages of the types
    in ``RENFORT_PAGE_CACHE_PAGE_TYPES``, from the shared cache (see the module's docstring).
    It answers in ``process_view``: after every middleware has seen the request (those that
    turn a request away, for the second factor or the admin, have done so), before the views'
    own checks, which ran when the page was stored, for this same session and data generation.
    It comes before ``SiteCacheMiddleware``: a page served from the cache needs no site."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "RENFORT_PAGE_CACHE_VIEWS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_renfort_page_key", None)
        if (
            key is not None
            and getattr(request, "_renfort_page_cacheable", False)
            and _response_is_cacheable(request, response, request._renfort_page_writes)
        ):
            html = response.content.decode(response.charset)
            html = _without_csrf_tokens(html, request.META.get("CSRF_COOKIE"))
            headers = [(name, value) for name, value in response.items() if name != "Set-Cookie"]
            cache.set(key, (request._renfort_page_generation, html, headers), timeout())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        listed = _view_name(view_func) in self.views
        if not (listed or view_func is serve) or not _request_is_cacheable(request):
            return None
        key = _key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = data_generation(found.get(GENERATION_KEY))
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _generation, html, headers = entry
            if _PLACEHOLDER in html:
                html = html.replace(_PLACEHOLDER, get_token(request))
            response = HttpResponse(html)
            for name, value in headers:
                response[name] = value
            return response
        request._renfort_page_key = key
        request._renfort_page_generation = generation
        request._renfort_page_writes = writes_seen()
        if listed:
            mark_cacheable(request)
        return None
