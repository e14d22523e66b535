// The header's connection indicator: the live socket's state, and whether the last HTTP call reached the server.
const labels = {
  none: 'not connected',
  connecting: 'connecting…',
  online: 'live',
  offline: 'offline — reconnecting',
  refused: 'key refused',
};

let socketState = 'none';
let httpReachable = true;

function render() {
  const element = document.getElementById('connection');
  const state = socketState === 'online' && !httpReachable ? 'offline' : socketState;
  element.dataset.state = state;
  element.textContent = labels[state] ?? state;
  document.body.dataset.connection = state;
}

export function setSocketState(state) {
  // A reconnect attempt after a loss is still "offline" until it succeeds.
  if (state === 'connecting' && socketState === 'offline') {
    return;
  }
  socketState = state;
  render();
}

export function setHttpReachable(reachable) {
  httpReachable = reachable;
  render();
}
