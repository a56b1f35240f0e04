"""Permissions in one query (factcheck.auth_backends.OneQueryModelBackend), as Django's ModelBackend answers them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from factcheck.auth_backends import OneQueryModelBackend


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no per-request permission caches


def test_it_answers_as_django_does_with_one_query(editor, django_assert_num_queries):
    editor.user_permissions.add(Permission.objects.get(codename="publish_decision"))
    expected = ModelBackend()
    ours = OneQueryModelBackend()

    user = _fresh(editor)
    with django_assert_num_queries(1):
        everything = ours.get_all_permissions(user)
        own, grouped = ours.get_user_permissions(user), ours.get_group_permissions(user)

    reference = _fresh(editor)
    assert everything == expected.get_all_permissions(reference)
    assert own == expected.get_user_permissions(reference) == {"factcheck.publish_decision"}
    assert grouped == expected.get_group_permissions(reference)
    assert "factcheck.add_annotation" in grouped and "factcheck.publish_decision" not in grouped


def test_it_gives_a_superuser_everything_and_an_inactive_user_nothing(staff, editor):
    ours = OneQueryModelBackend()
    assert ours.get_all_permissions(_fresh(staff)) == ModelBackend().get_all_permissions(_fresh(staff))
    editor.is_active = False
    assert ours.get_all_permissions(editor) == set()
