// GraphiQL's first tabs: the README's tour, a correlation query and a live subscription.

const sharedIp = 'ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3'; // 203.0.113.5, the sample's shared C2 address
const jpCampaign = 'campaign--61b1380d-3ca8-4f77-8266-2a0429e93214'; // Operation Cherry Frost (the sample's seed 7)

export const exampleTabs = [
  {
    query: `# 1. What do we hold?
{
  typeCounts { type count }
  search(types: ["campaign"]) { totalCount edges { node { id name createdBy { name } } } }
}`,
  },
  {
    query: `# 2. Who points at the shared address (203.0.113.5), and who reported it?
{
  object(id: "${sharedIp}") {
    name
    relationships(direction: IN) { totalCount edges { node { kind peer { __typename name createdBy { name } } } } }
  }
}`,
  },
  {
    query: `# 3. Which campaigns does that infrastructure link? Two hops through patterns and 'indicates'.
{
  neighborhood(id: "${sharedIp}", depth: 2, edgeTypes: ["pattern-names", "indicates"]) {
    partial
    nodes { distance object { __typename name } }
    edges { kind sourceId targetId }
  }
}`,
  },
  {
    query: `# 4. Campaigns linked to another campaign, with their clusters.
{
  campaigns(filter: { linkedOnly: true }) {
    edges { node { id name ... on Campaign { cluster { id size severity campaigns { name } } } } }
  }
}`,
  },
  {
    query: `# 5. Live: merges of correlation clusters (over graphql-transport-ws). Ingest the two sample reports to see one.
subscription {
  clusterMerged { clusterId size campaignIds at }
}`,
  },
  {
    query: `# 6. Live: changes to the JP sample campaign's cluster. The first event (SUBSCRIBED) is its current state;
# ingest the US report to see NEW_LINK.
subscription {
  campaignUpdated(campaignId: "${jpCampaign}") { kinds clusterSize linkedCampaignIds severity at }
}`,
  },
];
