from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from factcheck import interface_language
from factcheck.views import (
    api,
    api_docs,
    assertion_edits,
    attach,
    attribution,
    browse,
    cards,
    decisions,
    desk,
    discovery,
    embeds,
    health,
    intake,
    notes,
    review,
    speakers,
    suggestions,
    wordings,
    write_api,
)
from factcheck.views import compare as compare_views
from factcheck.views import history as history_views
from factcheck.views import search as search_views

urlpatterns = [
    path("", browse.home, name="home"),
    path("topics/<slug:slug>/", browse.topic_detail, name="topic-detail"),
    path("claims/", browse.claim_list, name="claim-list"),
    path("claims/<int:pk>/", browse.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/card.png", cards.claim_card_image, name="card-png"),
    path("sources/", browse.source_list, name="source-list"),
    path("sources/<int:pk>/", browse.source_detail, name="source-detail"),
    path("sources/<int:pk>/suggestions/", suggestions.source_suggestions, name="source-suggestions"),
    path("sources/<int:pk>/match/", suggestions.source_match, name="source-match"),
    path("suggestions/<int:pk>/accept/", suggestions.suggestion_accept, name="suggestion-accept"),
    path("suggestions/<int:pk>/reject/", suggestions.suggestion_reject, name="suggestion-reject"),
    path("suggestions/<int:pk>/claim/", suggestions.suggestion_create_claim, name="suggestion-create-claim"),
    path("sources/<int:pk>/attach/", attach.source_attach, name="source-attach"),
    path("sources/<int:pk>/attach/claims/", attach.source_attach_claims, name="source-attach-claims"),
    path("sources/<int:pk>/new-claim/", attach.source_new_claim, name="source-new-claim"),
    path("sources/<int:pk>/original/", intake.source_original, name="source-original"),
    path("sources/add/", intake.source_add, name="source-add"),
    path("sources/add/<int:job_id>/", intake.intake_job, name="intake-job"),
    path("sources/add/<int:job_id>/retry/", intake.intake_retry_view, name="intake-retry"),
    path("speakers/", speakers.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", speakers.speaker_detail, name="speaker-detail"),
    path("speakers/<slug:slug>/edit/", speakers.speaker_edit, name="speaker-edit"),
    path("assertions/<int:pk>/attribution/", attribution.assertion_attribution, name="assertion-attribution"),
    path("assertions/<int:pk>/remove/", assertion_edits.assertion_remove, name="assertion-remove"),
    path("assertions/<int:pk>/restore/", assertion_edits.assertion_restore, name="assertion-restore"),
    path("claims/<int:pk>/kind/", attribution.claim_kind, name="claim-kind"),
    path("claims/<int:pk>/wordings/", wordings.claim_wordings, name="claim-wordings"),
    path("embed/claims/<int:pk>/", embeds.claim_embed, name="embed-claim"),
    path("embed/topics/<slug:slug>/", embeds.topic_embed, name="embed-topic"),
    path("search/", search_views.search, name="search"),
    path("api/evidence/", search_views.evidence_api, name="api-evidence"),
    path("claims/<int:pk>/evidence/", search_views.claim_evidence, name="claim-evidence"),
    path("claims/<int:pk>/evidence/add/", search_views.claim_evidence_add, name="claim-evidence-add"),
    path("claims/<int:pk>/evidence/dismiss/", search_views.claim_evidence_dismiss, name="claim-evidence-dismiss"),
    path("api/openapi.json", api_docs.openapi_json, name="api-openapi"),
    path("api/docs/", api_docs.api_docs, name="api-docs"),
    path("api/claims/", write_api.claims, name="api-claims"),
    path("api/claims/<int:pk>/", write_api.claim, name="api-claim"),
    path("api/claims/<int:pk>/assertions/", write_api.claim_assertions, name="api-claim-assertions"),
    path("api/sources/", write_api.sources, name="api-sources"),
    path("api/sources/<int:pk>/", api.source, name="api-source"),
    path("api/sources/<int:pk>/suggestions/", suggestions.source_suggestions_api, name="api-source-suggestions"),
    path("api/speakers/", api.speakers, name="api-speakers"),
    path("api/speakers/<slug:slug>/", api.speaker, name="api-speaker"),
    path("compare/", compare_views.compare, name="compare"),
    path("api/compare/", compare_views.compare_json, name="api-compare"),
    path("api/topics/<slug:slug>/timeline/", compare_views.timeline_json, name="api-topic-timeline"),
    path("api/claimreview/", compare_views.claimreview_feed, name="api-claimreview"),
    path("claims/<int:pk>/annotations/", notes.annotation_create, name="annotation-create"),
    path("annotations/<int:pk>/", notes.annotation_detail, name="annotation-detail"),
    path("annotations/<int:pk>/edit/", notes.annotation_edit, name="annotation-edit"),
    path("annotations/<int:pk>/delete/", notes.annotation_delete, name="annotation-delete"),
    path("claims/<int:pk>/resolve/", decisions.claim_resolve, name="claim-resolve"),
    path("claims/<int:pk>/reopen/", decisions.claim_reopen, name="claim-reopen"),
    path("claims/<int:pk>/approve/", decisions.claim_approve, name="claim-approve"),
    path("claims/<int:pk>/assign/", decisions.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/history/", history_views.claim_history, name="claim-history"),
    path("history/<slug:kind>/<int:history_id>/revert/", history_views.history_revert, name="history-revert"),
    path("review/", review.review_queue, name="review-queue"),
    path("inbox/", desk.inbox, name="inbox"),
    path("inbox/badge/", desk.inbox_badge, name="inbox-badge"),
    path("inbox/read/", desk.inbox_read, name="inbox-read"),
    path("watch/", desk.watch, name="watch"),
    path("people/<str:username>/", desk.person_detail, name="person-detail"),
    path("notifications/unsubscribe/<str:token>/", desk.unsubscribe, name="notifications-unsubscribe"),
    path("i18n/setlang/", interface_language.set_language, name="set_language"),
    path("accounts/login/", desk.DeskLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", health.favicon, name="favicon"),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots-txt"),
    path("feeds/decisions/", discovery.decisions_feed, name="feed-decisions"),
    path("feeds/conflicts/", discovery.conflicts_feed, name="feed-conflicts"),
    path("feeds/topics/<slug:slug>/conflicts/", discovery.topic_conflicts_feed, name="feed-topic-conflicts"),
]

if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

handler400 = "factcheck.views.errors.bad_request"
handler403 = "factcheck.views.errors.permission_denied"
handler404 = "factcheck.views.errors.page_not_found"
handler500 = "factcheck.views.errors.server_error"
