"""AWS CLI v2 (2.9.x) plugin for the end-to-end tests: `cloudtrail validate-logs` builds its
Organizations client (DescribeOrganization, for an organization trail's AWSLogs/<o-id>/ paths) without
--endpoint-url, and this CLI version has no per-service endpoint setting. With
LOCAL_ORGANIZATIONS_ENDPOINT set, the client is rebuilt against that endpoint; nothing else changes.
"""
import os


def awscli_initialize(event_hooks):
    url = os.environ.get('LOCAL_ORGANIZATIONS_ENDPOINT')
    if not url:
        return
    from awscli.customizations.cloudtrail import validation

    original = validation.CloudTrailValidateLogs.setup_services

    def setup_services(self, parsed_globals):
        original(self, parsed_globals)
        self.organization_client = self._session.create_client(
            'organizations', region_name=parsed_globals.region,
            endpoint_url=url, verify=parsed_globals.verify_ssl)

    validation.CloudTrailValidateLogs.setup_services = setup_services
