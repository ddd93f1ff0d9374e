"""Login throttling on Redis, shared by every app node (issue 19; AXES_HANDLER when REDIS_URL is set).

Failures are counted in Redis (the `axes` cache alias, which does not hide connection errors), so a lockout earned
on one node holds on all of them, and a password-guessing storm costs no database writes. While Redis cannot be
reached the same calls go to axes' database handler instead: logins keep working and are still throttled (the
counts restart from the database's), and the log says so once per process.
"""

import logging

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

log = logging.getLogger("opsmon.throttle")

UNREACHABLE = (ConnectionInterrupted, RedisError, OSError)


class AxesRedisHandler(AbstractAxesHandler, AxesBaseHandler):
    def __init__(self):
        self.cache_handler = AxesCacheHandler()
        self.database_handler = AxesDatabaseHandler()
        self.degraded = False

    def _call(self, name: str, *args, **kwargs):
        try:
            result = getattr(self.cache_handler, name)(*args, **kwargs)
        except UNREACHABLE as exc:
            if not self.degraded:
                log.warning("Redis unreachable (%s): login throttling falls back to the database", exc)
                self.degraded = True
            return getattr(self.database_handler, name)(*args, **kwargs)
        if self.degraded:
            log.warning("Redis reachable again: login throttling is back on Redis")
            self.degraded = False
        return result

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        return self._call("user_login_failed", sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        return self._call("user_logged_in", sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        return self._call("user_logged_out", sender, request, user, **kwargs)

    def get_failures(self, request, credentials=None) -> int:
        return self._call("get_failures", request, credentials)

    def reset_attempts(self, **kwargs) -> int:
        # Both: an administrator's reset must also clear what was counted while Redis was away.
        count = self.database_handler.reset_attempts(**kwargs)
        try:
            count += self.cache_handler.reset_attempts(**kwargs)
        except NotImplementedError:  # "everything" or "ip or username": keys the cache cannot enumerate
            pass
        except UNREACHABLE:
            log.warning("Redis unreachable: only the database's login failures were reset")
        return count

    # AccessAttempt rows exist only from the fallback; their signals go to the database handler.
    def post_save_access_attempt(self, instance, **kwargs):
        return self.database_handler.post_save_access_attempt(instance, **kwargs)

    def post_delete_access_attempt(self, instance, **kwargs):
        return self.database_handler.post_delete_access_attempt(instance, **kwargs)

    def reset_logs(self, **kwargs) -> int:
        return self.database_handler.reset_logs(**kwargs)

    def reset_failure_logs(self, **kwargs) -> int:
        return self.database_handler.reset_failure_logs(**kwargs)

    def remove_out_of_limit_failure_logs(self, **kwargs) -> int:
        return self.database_handler.remove_out_of_limit_failure_logs(**kwargs)
