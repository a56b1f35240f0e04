"""Running a Django command as its own program: ``python -m tools.<module>``."""

import os
import sys


def setup_django():
    """Configure Django as manage.py does; a module calls this before it imports the models."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()


def run_command(command_class, module):
    """manage.py's handling for ``command_class``: its parser, --help, --verbosity, CommandError as exit status 1."""
    command_class().run_from_argv(["python -m", module, *sys.argv[1:]])
