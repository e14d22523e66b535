// The dashboard: hash routes (#/ campaigns, #/campaign/<id>, #/ingest) over one API key and one live socket.
import '../styles/app.css';
import { setUpKeyForm } from '../shared/keyForm.js';
import { openSocket } from '../shared/socket.js';
import { setSocketState } from './connectionStatus.js';
import { showCampaignList } from './campaignList.js';
import { showCampaignGraph } from './campaignGraph.js';
import { showIngestPage } from './ingestPage.js';
import { el } from './dom.js';

const view = document.getElementById('view');
const context = { apiKey: '', socket: null, reconnectListeners: new Set() };
context.onReconnect = (listener) => {
  context.reconnectListeners.add(listener);
  return () => context.reconnectListeners.delete(listener);
};
let closeView = () => {};
let wasOffline = false;

function onSocketState(state) {
  setSocketState(state);
  if (state === 'offline') {
    wasOffline = true;
  } else if (state === 'online' && wasOffline) {
    wasOffline = false;
    context.reconnectListeners.forEach((listener) => listener());
  }
}

function route() {
  closeView();
  closeView = () => {};
  if (!context.apiKey) {
    view.replaceChildren(el('p', { class: 'empty' }, 'Enter an API key above. Everything shown here comes from the GraphQL API with your key, so you see what your organisation may see.'));
    return;
  }
  const hash = location.hash.replace(/^#/, '') || '/';
  const campaign = hash.match(/^\/campaign\/(.+)$/);
  if (campaign) {
    closeView = showCampaignGraph(view, context, decodeURIComponent(campaign[1]));
  } else if (hash === '/ingest') {
    closeView = showIngestPage(view, context);
  } else {
    closeView = showCampaignList(view, context);
  }
}

setUpKeyForm((key) => {
  context.socket?.dispose();
  context.socket = null;
  context.apiKey = key;
  if (key) {
    context.socket = openSocket(key, onSocketState);
  } else {
    setSocketState('none');
  }
  route();
});
window.addEventListener('hashchange', route);
