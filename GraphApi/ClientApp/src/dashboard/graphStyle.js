// Cytoscape styles: fill and shape by STIX type, border by TLP (the server's provenance.tlp), evidence paths of
// linkedCampaigns in orange.

export const typeStyles = {
  campaign: { color: '#d9480f', shape: 'star' },
  'intrusion-set': { color: '#862e9c', shape: 'hexagon' },
  'threat-actor': { color: '#a61e4d', shape: 'hexagon' },
  malware: { color: '#c92a2a', shape: 'diamond' },
  incident: { color: '#e8590c', shape: 'octagon' },
  indicator: { color: '#1971c2', shape: 'triangle' },
  'ipv4-addr': { color: '#2b8a3e', shape: 'ellipse' },
  'ipv6-addr': { color: '#2b8a3e', shape: 'ellipse' },
  'domain-name': { color: '#2f9e44', shape: 'ellipse' },
  url: { color: '#37b24d', shape: 'ellipse' },
  identity: { color: '#495057', shape: 'round-rectangle' },
  report: { color: '#5f3dc4', shape: 'rectangle' },
  relationship: { color: '#868e96', shape: 'round-tag' },
  sighting: { color: '#f08c00', shape: 'vee' },
};

export const tlpColors = {
  clear: '#ced4da',
  green: '#2f9e44',
  amber: '#f59f00',
  'amber+strict': '#e67700',
  red: '#e03131',
};

export function graphStylesheet() {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)', 'font-size': 11, color: '#212529', 'text-valign': 'bottom', 'text-margin-y': 3,
        'text-wrap': 'ellipsis', 'text-max-width': '140px', width: 26, height: 26,
        'background-color': '#adb5bd', shape: 'ellipse', 'border-width': 3, 'border-color': '#dee2e6',
      },
    },
    ...Object.entries(typeStyles).map(([type, s]) => ({
      selector: `node[type = "${type}"]`, style: { 'background-color': s.color, shape: s.shape },
    })),
    ...Object.entries(tlpColors).map(([tlp, color]) => ({ selector: `node[tlp = "${tlp}"]`, style: { 'border-color': color } })),
    { selector: 'node[?placeholder]', style: { 'background-opacity': 0.3, 'border-style': 'dashed' } },
    { selector: 'node.center', style: { width: 40, height: 40, 'font-weight': 'bold', 'font-size': 13 } },
    { selector: 'node.evidence', style: { 'overlay-color': '#ff922b', 'overlay-opacity': 0.25, 'overlay-padding': 5 } },
    {
      selector: 'edge',
      style: {
        width: 1.5, 'line-color': '#ced4da', 'target-arrow-color': '#ced4da', 'target-arrow-shape': 'triangle',
        'curve-style': 'bezier', label: 'data(kind)', 'font-size': 8, color: '#868e96', 'text-rotation': 'autorotate',
      },
    },
    { selector: 'edge.evidence', style: { width: 4, 'line-color': '#ff922b', 'target-arrow-color': '#ff922b', color: '#d9480f' } },
    { selector: ':selected', style: { 'border-width': 5, 'border-color': '#1c7ed6' } },
  ];
}

/** What the fills and borders mean, for the legend beside the drawing. */
export function legendEntries() {
  return {
    types: Object.entries(typeStyles).filter(([type]) => type !== 'relationship').map(([type, s]) => ({ label: type, color: s.color })),
    tlps: Object.entries(tlpColors).map(([tlp, color]) => ({ label: `TLP:${tlp.toUpperCase()}`, color })),
  };
}
