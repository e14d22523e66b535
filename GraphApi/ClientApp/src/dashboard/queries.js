// The GraphQL documents the dashboard sends (the same public API as any client).

export const campaignsQuery = `query DashboardCampaigns($first: Int!) {
  campaigns(first: $first) {
    totalCount
    edges { node {
      id name modified reportedBy provenance { tlp }
      ... on Campaign { cluster { id size severity lastSeen campaigns { id name reportedBy } } }
    } }
  }
}`;

export const campaignUpdatedSubscription = `subscription CampaignUpdated($id: ID!) {
  campaignUpdated(campaignId: $id) { campaignId kinds clusterId clusterSize linkedCampaignIds newlyLinkedCampaignIds severity at }
}`;

export const clusterMergedSubscription = `subscription { clusterMerged { clusterId size campaignIds at } }`;

const nodeFields = 'id type name placeholder provenance { tlp organisation }';

export const campaignViewQuery = `query CampaignView($id: ID!, $limit: Int!) {
  object(id: $id) { ${nodeFields} ... on Campaign { cluster { id size severity } } }
  neighborhood(id: $id, depth: 2, limit: $limit) {
    partial partialReason
    nodes { id distance object { ${nodeFields} } }
    edges { id kind sourceId targetId }
  }
  linkedCampaigns(campaignId: $id) {
    links {
      campaignId strength hops campaign { name }
      path { nodes { id object { ${nodeFields} } } edges { id kind sourceId targetId } }
    }
  }
}`;

// A node's edges a page at a time, so that each click on a big node draws the next page of its neighbours.
export const expandQuery = `query Expand($id: ID!, $first: Int!, $after: String) {
  object(id: $id) {
    relationships(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      items { id kind direction peerId peer { ${nodeFields} } }
    }
  }
}`;

export const objectDetailsQuery = `query ObjectDetails($id: ID!) {
  object(id: $id) {
    id type name description created modified revoked placeholder labels markings reportedBy versionCount
    provenance { organisation tlp deployment reportedAt }
    stix
  }
}`;

export const ingestMutation = `mutation Ingest($bundle: String!) {
  ingestBundle(bundle: $bundle) {
    bundleId
    totals { created updated unchanged rejected total }
    objects { index id type outcome errors { path message } warnings { path message } }
    envelopeIssues { path message }
  }
}`;
