"""Name aliases for search and the evidence finder: each variant finds every other spelling of its name."""

from django.contrib import admin

from factcheck import services
from factcheck.admin.base import ServiceDeletes
from factcheck.models import NameAlias


@admin.register(NameAlias)
class NameAliasAdmin(ServiceDeletes, admin.ModelAdmin):
    list_display = ("variant", "canonical", "created_at")
    list_filter = ("canonical",)
    search_fields = ("canonical", "variant")
    ordering = ("canonical", "variant")
    fields = ("canonical", "variant")

    def save_model(self, request, obj, form, change):
        services.name_alias_save(alias=obj)

    def delete_with(self, obj, user):
        services.name_alias_delete(alias=obj)
