"""The suite runs on every CPU (pytest-xdist): each worker keeps to its own Redis databases."""

import pytest

from config.settings.test import _redis_for_worker


def test_the_first_worker_and_a_run_without_workers_use_the_configured_databases():
    assert _redis_for_worker("redis://127.0.0.1:6379/14", "") == "redis://127.0.0.1:6379/14"
    assert _redis_for_worker("redis://127.0.0.1:6379/14", "gw0") == "redis://127.0.0.1:6379/14"


def test_each_later_worker_counts_down_by_two_so_cache_and_broker_never_meet():
    cache, broker = "redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/15"
    used = [(_redis_for_worker(cache, f"gw{n}"), _redis_for_worker(broker, f"gw{n}")) for n in range(4)]
    flat = [url for pair in used for url in pair]
    assert len(set(flat)) == len(flat)
    assert used[1] == ("redis://127.0.0.1:6379/12", "redis://127.0.0.1:6379/13")


def test_anything_but_a_numbered_redis_database_is_left_alone():
    assert _redis_for_worker("filesystem://", "gw1") == "filesystem://"
    assert _redis_for_worker("redis://127.0.0.1:6379", "gw1") == "redis://127.0.0.1:6379"


def test_too_many_workers_for_redis_say_so():
    with pytest.raises(ValueError, match="run fewer workers"):
        _redis_for_worker("redis://127.0.0.1:6379/3", "gw2")
