"""Management commands refuse options that contradict each other, before doing anything."""

import pytest
from django.core.management import CommandError, call_command


def test_it_refuses_a_search_index_check_that_is_also_asked_to_recut_passages():
    with pytest.raises(CommandError, match="argument --passages-only: not allowed with argument --check"):
        call_command("rebuild_search_index", "--check", "--passages-only")
