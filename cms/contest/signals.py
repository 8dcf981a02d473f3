"""A contest entry's status follows the editors' decision in its Wagtail workflow."""

from wagtail.signals import workflow_approved, workflow_rejected


def _page_id(workflow_state):
    return int(workflow_state.object_id) if workflow_state.base_content_type.app_label == "wagtailcore" else None


def approved(sender, instance, user=None, **kwargs):
    from cms.services.contest import workflow_finished

    if (page_id := _page_id(instance)) is not None:
        workflow_finished(page_id, approved=True)


def rejected(sender, instance, user=None, **kwargs):
    from cms.services.contest import workflow_finished

    if (page_id := _page_id(instance)) is not None:
        workflow_finished(page_id, approved=False)


def connect():
    workflow_approved.connect(approved, dispatch_uid="cms.contest.approved")
    workflow_rejected.connect(rejected, dispatch_uid="cms.contest.rejected")
