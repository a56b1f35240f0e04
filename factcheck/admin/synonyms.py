"""The evidence finder's synonym groups in the admin: editorial vocabulary, kept by editors, not in code."""

from django.contrib import admin

from factcheck import services
from factcheck.admin.base import ServiceDeletes
from factcheck.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ServiceDeletes, admin.ModelAdmin):
    list_display = ("words", "created_at")
    search_fields = ("words",)
    # Oldest first, the order the finder applies them in.
    ordering = ("id",)
    fields = ("words",)

    def save_model(self, request, obj, form, change):
        services.synonym_group_save(group=obj)

    def delete_with(self, obj, user):
        services.synonym_group_delete(group=obj)
