"""Name aliases for search and the evidence finder: each variant finds every other spelling of its name."""

from django.contrib import admin

from factcheck.models import NameAlias


@admin.register(NameAlias)
class NameAliasAdmin(admin.ModelAdmin):
    list_display = ("variant", "canonical", "created_at")
    list_filter = ("canonical",)
    search_fields = ("canonical", "variant")
    ordering = ("canonical", "variant")
    fields = ("canonical", "variant")
