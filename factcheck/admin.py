from django.contrib import admin

from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Topic

admin.site.site_header = "factcheck data entry"

for model in (Source, Topic, Claim, Assertion, Annotation, Resolution):
    admin.site.register(model)
