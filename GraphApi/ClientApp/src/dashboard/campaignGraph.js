// One campaign's neighbourhood drawn with cytoscape.js: evidence paths to linked campaigns highlighted, a click on a
// node shows it in the side panel and draws its neighbours. At most maxDrawn nodes are drawn, so a 5,000-node
// cluster never freezes the page; the page says when it left nodes out.
import cytoscape from 'cytoscape';
import { campaignViewQuery, expandQuery } from './queries.js';
import { graphql } from '../shared/http.js';
import { graphStylesheet, legendEntries } from './graphStyle.js';
import { showObject } from './objectPanel.js';
import { campaignHref, el } from './dom.js';

const firstLimit = 300;
// A relationship object is drawn as the edge it declares (the gateway returns that edge too), not as a node.
const drawnAsEdge = new Set(['relationship']);
const expandLimit = 100;
export const maxDrawn = 500;

function swatch(kind, color) {
  const node = el('span', { class: `swatch ${kind}` });
  node.style.setProperty('--swatch', color); // CSSOM, which the CSP allows (a style attribute it would refuse)
  return node;
}

function legend() {
  const { types, tlps } = legendEntries();
  return el('p', { class: 'legend' },
    'Fill: ', types.map((t) => el('span', { class: 'legend-item' }, swatch('fill', t.color), t.label)),
    ' Border: ', tlps.map((t) => el('span', { class: 'legend-item' }, swatch('border', t.color), t.label)),
    ' Orange edges: evidence paths.');
}

export function showCampaignGraph(container, context, campaignId) {
  const title = el('h1', {}, 'Campaign');
  const notice = el('p', { class: 'notice', id: 'graph-notice', 'aria-live': 'polite' });
  const links = el('section', { class: 'links', id: 'linked-campaigns' });
  const canvas = el('div', { class: 'graph', id: 'graph', 'aria-label': 'campaign graph' });
  const panel = el('aside', { class: 'panel', id: 'object-panel' }, el('p', {}, 'Click a node to see its properties and STIX, and to draw its neighbours.'));
  const objectList = el('ul', { id: 'graph-nodes' });
  container.replaceChildren(title, notice, links, legend(), el('div', { class: 'graph-layout' }, canvas, panel),
    el('details', { class: 'node-list' }, el('summary', {}, 'Objects in this graph (text list)'), objectList));

  const drawn = new Map(); // id -> node data
  let leftOut = 0; // nodes fetched but not drawn (the cap)
  let partial = false; // a neighbourhood the server cut at its limit
  const nextPage = new Map(); // node id -> cursor of its next page of edges, while it has more
  let cy = null;
  let closed = false;

  function nodeData(id, object) {
    return {
      id, label: object?.name ?? id, type: object?.type ?? id.split('--')[0],
      tlp: object?.provenance?.tlp ?? 'unknown', placeholder: object?.placeholder ?? false,
    };
  }

  /** Adds what fits under the cap; returns how many nodes were left out. */
  function add(nodes, edges, classes = '') {
    const elements = [];
    const added = new Set();
    let skipped = 0;
    for (const { id, object } of nodes) {
      if (drawnAsEdge.has(object?.type ?? id.split('--')[0])) {
        continue;
      }
      if (drawn.has(id)) {
        if (classes) cy.getElementById(id).addClass(classes);
        continue;
      }
      if (drawn.size >= maxDrawn) {
        skipped++;
        continue;
      }
      const data = nodeData(id, object);
      drawn.set(id, data);
      elements.push({ group: 'nodes', data, classes });
    }
    for (const edge of edges) {
      const existing = cy.getElementById(edge.id);
      if (existing.nonempty()) {
        if (classes) existing.addClass(classes);
      } else if (drawn.has(edge.sourceId) && drawn.has(edge.targetId) && !added.has(edge.id)) {
        added.add(edge.id);
        elements.push({ group: 'edges', data: { id: edge.id, source: edge.sourceId, target: edge.targetId, kind: edge.kind }, classes });
      }
    }
    cy.add(elements);
    return skipped;
  }

  function layout() {
    cy.layout({ name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true, numIter: 1000, idealEdgeLength: () => 70, nodeRepulsion: () => 9000 }).run();
    cy.fit(undefined, 30);
  }

  function renderList() {
    objectList.replaceChildren(...[...drawn.values()].sort((a, b) => a.type.localeCompare(b.type) || a.label.localeCompare(b.label))
      .map((n) => el('li', { 'data-node-id': n.id, 'data-type': n.type, 'data-tlp': n.tlp },
        el('button', { type: 'button', onclick: () => select(n.id) }, `${n.type}: ${n.label}`))));
    notice.textContent = `${drawn.size} objects drawn.`
      + (partial ? ` The neighbourhood holds more than the ${firstLimit} objects fetched.` : '')
      + (leftOut > 0 ? ` ${leftOut} fetched objects were not drawn (at most ${maxDrawn} are).` : '')
      + (partial || leftOut > 0 ? ' Click a node to draw its neighbours.' : '')
      + (nextPage.size > 0 ? ` ${nextPage.size} drawn object${nextPage.size === 1 ? ' has' : 's have'} more neighbours: click again for the next ${expandLimit}.` : '');
    canvas.dataset.nodes = String(drawn.size);
    canvas.dataset.partial = String(partial);
  }

  async function select(id) {
    cy.elements().unselect();
    cy.getElementById(id).select();
    showObject(panel, context.apiKey, id);
    try {
      const before = drawn.size;
      // Pages whose neighbours are all drawn already are skipped, so that a click draws something new when it can.
      for (let pages = 0; pages < 10 && drawn.size === before && drawn.size < maxDrawn; pages++) {
        const data = await graphql(context.apiKey, expandQuery, { id, first: expandLimit, after: nextPage.get(id) ?? null });
        const page = data.object?.relationships;
        if (closed || !page) return;
        const peers = page.items.map((e) => ({ id: e.peerId, object: e.peer }));
        const edges = page.items.map((e) => ({
          id: e.id, kind: e.kind, sourceId: e.direction === 'IN' ? e.peerId : id, targetId: e.direction === 'IN' ? id : e.peerId,
        }));
        leftOut += add(peers, edges);
        if (!page.pageInfo.hasNextPage) {
          nextPage.delete(id);
          break;
        }
        nextPage.set(id, page.pageInfo.endCursor);
      }
      if (drawn.size > before) layout();
      renderList();
    } catch (error) {
      notice.textContent = `Could not expand ${id}: ${error.message}`;
    }
  }

  async function load() {
    let data;
    try {
      data = await graphql(context.apiKey, campaignViewQuery, { id: campaignId, limit: firstLimit });
    } catch (error) {
      notice.textContent = `Could not load the campaign: ${error.message}`;
      notice.className = 'notice error';
      return;
    }
    if (closed) return;
    if (!data.object) {
      title.textContent = 'Campaign not found';
      notice.textContent = 'No such campaign, or it is not visible to you.';
      return;
    }
    title.textContent = data.object.name ?? data.object.id;
    cy = cytoscape({ container: canvas, style: graphStylesheet(), wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
    cy.on('tap', 'node', (event) => select(event.target.id()));
    add([{ id: data.object.id, object: data.object }], [], 'center');
    const hood = data.neighborhood;
    leftOut += add(hood?.nodes ?? [], hood?.edges ?? []);
    partial ||= hood?.partial ?? false;
    for (const link of data.linkedCampaigns?.links ?? []) {
      add(link.path.nodes, link.path.edges, 'evidence');
    }
    links.replaceChildren(el('h2', {}, 'Linked campaigns'), (data.linkedCampaigns?.links ?? []).length === 0
      ? el('p', { class: 'empty' }, 'None that you may see.')
      : el('ul', {}, data.linkedCampaigns.links.map((link) => el('li', { 'data-linked-id': link.campaignId },
        el('a', { href: campaignHref(link.campaignId) }, link.campaign?.name ?? link.campaignId),
        ` — ${link.hops} hops, strength ${link.strength.toFixed(2)} (evidence path in orange)`))));
    layout();
    renderList();
    canvas.dataset.ready = 'true';
  }

  load();
  return () => {
    closed = true;
    cy?.destroy();
  };
}
