"""The list filters: by topic or source among thousands, by conflict, by assignment."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from factcheck.models import Source, Status, Topic


class ManyChoicesFilter(admin.SimpleListFilter):
    """A filter by a related row of which there may be thousands (topics, sources).

    While there are at most LISTED, each is a link, as in Django's own
    filters. Beyond that a sidebar of links would outweigh the list it filters
    (10,000 topics and 2,000 sources made the claim list 1.2 MB): it shows a
    box that finds them by title, the SHOWN first matches, and the one chosen.
    Subclasses name the ``related`` model and the ``field`` filtered on.
    """

    template = "admin/factcheck/many_choices_filter.html"
    LISTED = 50
    SHOWN = 20
    MAX_ID = 2**63 - 1  # a bigger number cannot be an id, and would overflow SQLite's driver
    related = None
    field = None

    def __init__(self, request, params, model, model_admin):
        self.search_parameter = f"{self.parameter_name}__find"
        found = params.pop(self.search_parameter, None)
        self.search = (found[-1] if isinstance(found, list) else found or "").strip()[:100]
        self.many = self.more = False
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    def has_output(self):
        return True  # the box shows even when nothing is listed yet

    def lookups(self, request, model_admin):
        rows = self.related.objects.order_by("title", "id").values_list("pk", "title")
        head = list(rows[: self.LISTED + 1])
        self.many = len(head) > self.LISTED
        if not self.many:
            return head
        found = list(rows.filter(title__icontains=self.search)[: self.SHOWN + 1]) if self.search else []
        self.more = len(found) > self.SHOWN
        found = found[: self.SHOWN]
        chosen = self._chosen_pk()
        if chosen is not None and chosen not in {pk for pk, _ in found}:
            found = list(rows.filter(pk=chosen)) + found
        return found

    def _chosen_pk(self):
        """The chosen id, or ``None`` when there is none or it is no id (not a number, or beyond 64 bits)."""
        try:
            pk = int(self.value()) if self.value() else None
        except ValueError:
            return None
        return pk if pk is not None and 1 <= pk <= self.MAX_ID else None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = self._chosen_pk()
        if chosen is None:
            raise IncorrectLookupParameters(f"{self.title}: “{self.value()}” is not an id.")
        return self.filter_by(queryset, chosen)

    def filter_by(self, queryset, pk):
        return queryset.filter(**{self.field: pk})

    def choices(self, changelist):
        # The find box keeps every other filter (and the search) the list has.
        self.kept_params = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in (self.parameter_name, self.search_parameter)
        ]
        yield from super().choices(changelist)


class SourceFilter(ManyChoicesFilter):
    """Filter by source, listing titles only: the stock filter would load every full text."""

    title = "source"
    parameter_name = "source"
    related = Source
    field = "source_id"


class TopicFilter(ManyChoicesFilter):
    title = "topic"
    parameter_name = "topic__id__exact"  # the parameter Django's own filter used: old links keep working
    related = Topic
    field = "topic_id"


class ClaimTopicFilter(TopicFilter):
    parameter_name = "claim__topic__id__exact"
    field = "claim__topic_id"


class HasConflictFilter(admin.SimpleListFilter):
    title = "conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return [("yes", "In conflict"), ("no", "Not in conflict")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_conflict()
        if self.value() == "no":
            return queryset.exclude(status=Status.CONFLICT)
        return queryset


class CitedBySourceFilter(SourceFilter):
    """Claims with at least one assertion from the chosen source (no duplicate rows)."""

    def filter_by(self, queryset, pk):
        return queryset.citing(pk)


class AssignedFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("anyone", "Assigned to anyone"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_to=request.user)
        if value == "anyone":
            return queryset.filter(assigned_to__isnull=False)
        if value == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset
