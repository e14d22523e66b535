// The side panel: one object's properties and its stored STIX, as the server shows them to this caller.
import { objectDetailsQuery } from './queries.js';
import { graphql } from '../shared/http.js';
import { el, formatTime } from './dom.js';

export async function showObject(panel, apiKey, id) {
  panel.replaceChildren(el('p', {}, 'Loading…'));
  let object;
  try {
    object = (await graphql(apiKey, objectDetailsQuery, { id })).object;
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'error' }, `Could not load ${id}: ${error.message}`));
    return;
  }
  if (!object) {
    panel.replaceChildren(el('p', {}, `${id} is not visible to you.`));
    return;
  }
  const rows = [
    ['id', object.id], ['type', object.type], ['name', object.name], ['description', object.description],
    ['TLP', object.provenance?.tlp?.toUpperCase()], ['reported by', object.reportedBy.join(', ')],
    ['reported at', object.provenance ? `${object.provenance.deployment}, ${formatTime(object.provenance.reportedAt)}` : null],
    ['created', formatTime(object.created)], ['modified', formatTime(object.modified)], ['versions', object.versionCount],
    ['labels', object.labels.join(', ')], ['revoked', object.revoked ? 'yes' : null], ['placeholder', object.placeholder ? 'yes (not received yet)' : null],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  let stix = object.stix ?? '';
  try {
    stix = JSON.stringify(JSON.parse(stix), null, 2);
  } catch {
    // shown as stored
  }
  panel.replaceChildren(
    el('h2', {}, object.name ?? object.id),
    el('dl', { class: 'properties' }, rows.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
    el('h3', {}, 'STIX'),
    el('pre', { class: 'stix', id: 'object-stix' }, stix || '(none)'));
}
