// The campaigns and clusters the caller may see, kept current without reload: campaignUpdated for the most recently
// changed campaigns and clusterMerged for merges arrive live; a light re-read every few seconds finds campaigns that
// are new (no subscription announces a campaign that has no link yet).
import { campaignsQuery, campaignUpdatedSubscription, clusterMergedSubscription } from './queries.js';
import { graphql } from '../shared/http.js';
import { subscribe } from '../shared/socket.js';
import { setHttpReachable } from './connectionStatus.js';
import { campaignHref, el, formatTime } from './dom.js';

const shownCampaigns = 100;
// A connection holds at most 20 operations (Api:MaxOperationsPerConnection); one is clusterMerged.
const liveCampaigns = 15;
const rereadMilliseconds = 5000;

export function showCampaignList(container, context) {
  const events = new Map(); // campaign id -> { kinds, at, subscribed }
  const subscriptions = new Map(); // campaign id -> unsubscribe
  let campaigns = [];
  let totalCount = 0;
  let error = '';
  let refreshing = null;
  let refreshAgain = false;

  const summary = el('p', { class: 'summary', id: 'campaign-summary' }, 'Loading campaigns…');
  const clustersSection = el('section', { id: 'clusters' });
  const campaignsSection = el('section', { id: 'campaigns' });
  container.replaceChildren(el('h1', {}, 'Campaigns and clusters'), summary, clustersSection, campaignsSection);

  async function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        const data = await graphql(context.apiKey, campaignsQuery, { first: shownCampaigns });
        campaigns = data.campaigns.edges.map((e) => e.node).filter(Boolean);
        totalCount = data.campaigns.totalCount ?? campaigns.length;
        error = '';
        setHttpReachable(true);
      } catch (e) {
        error = e.message;
        setHttpReachable(e.status !== 0);
      }
      render();
      subscribeLatest();
    })();
    await refreshing;
    refreshing = null;
    if (refreshAgain) {
      refreshAgain = false;
      await refresh();
    }
  }

  function lastChange(campaign) {
    const times = [campaign.modified, campaign.cluster?.lastSeen, events.get(campaign.id)?.at].filter(Boolean);
    return times.sort().at(-1) ?? null;
  }

  function subscribeLatest() {
    if (!context.socket) {
      return;
    }
    const wanted = [...campaigns].sort((a, b) => (lastChange(b) ?? '').localeCompare(lastChange(a) ?? '')).slice(0, liveCampaigns).map((c) => c.id);
    for (const [id, stop] of subscriptions) {
      if (!wanted.includes(id)) {
        stop();
        subscriptions.delete(id);
      }
    }
    for (const id of wanted.filter((id) => !subscriptions.has(id))) {
      subscriptions.set(id, subscribe(context.socket, campaignUpdatedSubscription, { id }, (data) => onCampaignUpdate(data.campaignUpdated), () => {}));
    }
  }

  function onCampaignUpdate(update) {
    const subscribed = update.kinds.includes('SUBSCRIBED');
    const previous = events.get(update.campaignId);
    events.set(update.campaignId, {
      kinds: subscribed ? previous?.kinds ?? [] : update.kinds,
      at: subscribed ? previous?.at : update.at,
      subscribed: true,
    });
    if (subscribed) {
      render();
    } else {
      refresh();
    }
  }

  const stopMerged = context.socket ? subscribe(context.socket, clusterMergedSubscription, {}, () => refresh(), () => {}) : () => {};

  function organisationsOf(campaign) {
    const orgs = new Set(campaign.reportedBy);
    for (const other of campaign.cluster?.campaigns ?? []) {
      other.reportedBy.forEach((org) => orgs.add(org));
    }
    return [...orgs].sort();
  }

  function render() {
    summary.textContent = error
      ? `Could not load campaigns: ${error}`
      : `${totalCount} campaign${totalCount === 1 ? '' : 's'} visible to you` + (totalCount > campaigns.length ? ` (showing the first ${campaigns.length})` : '') +
        `. Live updates for the ${Math.min(liveCampaigns, campaigns.length)} most recently changed; new campaigns appear within ${rereadMilliseconds / 1000} s.`;
    summary.className = error ? 'summary error' : 'summary';
    renderClusters();
    renderCampaigns();
  }

  function renderClusters() {
    const clusters = new Map();
    for (const campaign of campaigns) {
      if (campaign.cluster && !clusters.has(campaign.cluster.id)) {
        clusters.set(campaign.cluster.id, { ...campaign.cluster, organisations: organisationsOf(campaign) });
      }
    }
    const rows = [...clusters.values()].sort((a, b) => b.size - a.size).map((cluster) => el('tr', { 'data-cluster-id': cluster.id },
      el('td', {}, cluster.campaigns.map((c, i) => [i > 0 ? ', ' : '', el('a', { href: campaignHref(c.id) }, c.name ?? c.id)])),
      el('td', { class: 'number' }, cluster.size),
      el('td', {}, el('span', { class: `severity severity-${cluster.severity.toLowerCase()}` }, cluster.severity)),
      el('td', {}, cluster.organisations.join(', ')),
      el('td', {}, formatTime(cluster.lastSeen))));
    clustersSection.replaceChildren(el('h2', {}, 'Clusters'), rows.length === 0
      ? el('p', { class: 'empty' }, 'No campaign is linked to anything yet.')
      : el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ['Campaigns', 'Size', 'Severity', 'Organisations involved', 'Last seen'].map((h) => el('th', {}, h)))), el('tbody', {}, rows)));
  }

  function renderCampaigns() {
    const names = new Map(campaigns.map((c) => [c.id, c.name]));
    for (const campaign of campaigns) {
      for (const other of campaign.cluster?.campaigns ?? []) {
        names.set(other.id, other.name);
      }
    }
    const rows = campaigns.map((campaign) => {
      const event = events.get(campaign.id);
      const linked = (campaign.cluster?.campaigns ?? []).filter((c) => c.id !== campaign.id);
      return el('tr', { 'data-campaign-id': campaign.id, 'data-live': event?.subscribed ? 'true' : 'false' },
        el('td', {}, el('a', { href: campaignHref(campaign.id), class: 'campaign-name' }, campaign.name ?? campaign.id)),
        el('td', {}, el('span', { class: `tlp tlp-${(campaign.provenance?.tlp ?? 'unknown').replace('+', '-')}` }, `TLP:${(campaign.provenance?.tlp ?? '?').toUpperCase()}`)),
        el('td', { class: 'linked' }, linked.length === 0 ? '—' : linked.map((c, i) => [i > 0 ? ', ' : '', el('a', { href: campaignHref(c.id), class: 'linked-campaign' }, names.get(c.id) ?? c.id)])),
        el('td', { class: 'number' }, campaign.cluster?.size ?? 1),
        el('td', {}, campaign.cluster ? el('span', { class: `severity severity-${campaign.cluster.severity.toLowerCase()}` }, campaign.cluster.severity) : '—'),
        el('td', {}, organisationsOf(campaign).join(', ')),
        el('td', {}, formatTime(lastChange(campaign))),
        el('td', { class: 'last-event' }, event?.kinds?.length ? event.kinds.join(', ') : event?.subscribed ? 'live' : ''));
    });
    campaignsSection.replaceChildren(el('h2', {}, 'Campaigns'), rows.length === 0
      ? el('p', { class: 'empty' }, 'No campaign you may see yet. Ingest a bundle to begin.')
      : el('table', { class: 'grid', id: 'campaign-table' },
        el('thead', {}, el('tr', {}, ['Campaign', 'TLP', 'Linked campaigns', 'Cluster size', 'Severity', 'Organisations involved', 'Last change', 'Last live event'].map((h) => el('th', {}, h)))),
        el('tbody', {}, rows)));
  }

  refresh();
  const timer = setInterval(refresh, rereadMilliseconds);
  const offReconnect = context.onReconnect(() => refresh());
  return () => {
    clearInterval(timer);
    offReconnect();
    stopMerged();
    subscriptions.forEach((stop) => stop());
  };
}
