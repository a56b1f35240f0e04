"""The evidence finder's synonym groups in the admin: editorial vocabulary, kept by editors, not in code."""

from django.contrib import admin

from factcheck.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ("words", "created_at")
    search_fields = ("words",)
    # Oldest first, the order the finder applies them in.
    ordering = ("id",)
    fields = ("words",)
