// Drop a STIX bundle file: it goes through the ingestBundle mutation with the caller's key, and every object's
// outcome is listed.
import { ingestMutation } from './queries.js';
import { graphql } from '../shared/http.js';
import { el } from './dom.js';

export function showIngestPage(container, context) {
  const input = el('input', { type: 'file', id: 'bundle-file', accept: '.json,application/json' });
  const drop = el('label', { class: 'drop-zone', id: 'drop-zone', for: 'bundle-file' },
    'Drop a STIX 2.1 bundle (.json) here, or click to choose a file.');
  const result = el('section', { id: 'ingest-result', 'aria-live': 'polite' });
  container.replaceChildren(el('h1', {}, 'Ingest a bundle'), drop, input, result);

  async function ingest(file) {
    result.replaceChildren(el('p', {}, `Sending ${file.name} (${file.size} bytes)…`));
    let report;
    try {
      report = (await graphql(context.apiKey, ingestMutation, { bundle: await file.text() })).ingestBundle;
    } catch (error) {
      result.replaceChildren(el('p', { class: 'error', role: 'alert' }, `${file.name} was refused: ${error.message}`));
      return;
    }
    const t = report.totals;
    result.replaceChildren(
      el('p', { id: 'ingest-totals' }, `${file.name}: ${t.total} objects — ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.rejected} rejected.`),
      report.envelopeIssues.length ? el('ul', { class: 'error' }, report.envelopeIssues.map((i) => el('li', {}, `${i.path}: ${i.message}`))) : '',
      el('table', { class: 'grid', id: 'ingest-objects' },
        el('thead', {}, el('tr', {}, ['#', 'Type', 'Id', 'Outcome', 'Errors and warnings'].map((h) => el('th', {}, h)))),
        el('tbody', {}, report.objects.map((o) => el('tr', { 'data-outcome': o.outcome },
          el('td', { class: 'number' }, o.index), el('td', {}, o.type ?? '—'), el('td', { class: 'id' }, o.id ?? '—'),
          el('td', {}, el('span', { class: `outcome outcome-${o.outcome.toLowerCase()}` }, o.outcome)),
          el('td', {}, [...o.errors, ...o.warnings].map((i) => el('div', {}, `${i.path}: ${i.message}`))))))));
  }

  input.addEventListener('change', () => input.files[0] && ingest(input.files[0]));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer.files[0];
    if (file) ingest(file);
  });
  return () => {};
}
