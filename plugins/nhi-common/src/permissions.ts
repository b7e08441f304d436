import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of machine identities, for conditional (ownership-based) decisions. */
export const NHI_IDENTITY_RESOURCE_TYPE = 'nhi-identity';

/** Read one identity, its status and history. Conditional: owners see their own. */
export const nhiIdentityReadPermission = createPermission({
  name: 'nhi.identity.read',
  attributes: { action: 'read' },
  resourceType: NHI_IDENTITY_RESOURCE_TYPE,
});

/** Send lifecycle and usage events. Meant for machine principals. */
export const nhiEventsIngestPermission = createPermission({
  name: 'nhi.events.ingest',
  attributes: { action: 'create' },
});

/** Decide on a review item of an identity. Conditional on ownership. */
export const nhiReviewDecidePermission = createPermission({
  name: 'nhi.review.decide',
  attributes: { action: 'update' },
  resourceType: NHI_IDENTITY_RESOURCE_TYPE,
});

/**
 * Approve or reject an exception request, and approve new identities in the security queue.
 * A resource permission, so that a policy can split the work (say, cloud security approves
 * the aws-iam identities) with the same rules as reading.
 */
export const nhiExceptionApprovePermission = createPermission({
  name: 'nhi.exception.approve',
  attributes: { action: 'update' },
  resourceType: NHI_IDENTITY_RESOURCE_TYPE,
});

/** Start, close or cancel a recertification campaign. */
export const nhiCampaignManagePermission = createPermission({
  name: 'nhi.campaign.manage',
  attributes: { action: 'update' },
});

/** Export the SOC 2 evidence package. */
export const nhiEvidenceExportPermission = createPermission({
  name: 'nhi.evidence.export',
  attributes: { action: 'read' },
});

/** The org-wide views: rollups, trends, every identity. */
export const nhiAdminReadPermission = createPermission({
  name: 'nhi.admin.read',
  attributes: { action: 'read' },
});

/** Read a discovery source now, instead of waiting for its schedule. */
export const nhiDiscoveryRunPermission = createPermission({
  name: 'nhi.discovery.run',
  attributes: { action: 'update' },
});

export const nhiPermissions = [
  nhiIdentityReadPermission,
  nhiEventsIngestPermission,
  nhiReviewDecidePermission,
  nhiExceptionApprovePermission,
  nhiCampaignManagePermission,
  nhiEvidenceExportPermission,
  nhiAdminReadPermission,
  nhiDiscoveryRunPermission,
];
