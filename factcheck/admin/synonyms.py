"""The evidence finder's synonym groups in the admin: editorial vocabulary, kept by editors, not in code."""

from django.contrib import admin

from factcheck import services
from factcheck.admin.base import delete_each
from factcheck.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("words", "created_at")
    search_fields = ("words",)
    # Oldest first, the order the finder applies them in.
    ordering = ("id",)
    fields = ("words",)

    def save_model(self, request, obj, form, change):
        services.synonym_group_save(group=obj)

    def delete_model(self, request, obj):
        services.synonym_group_delete(group=obj)

    def delete_queryset(self, request, queryset):
        delete_each(queryset, lambda obj: services.synonym_group_delete(group=obj))
