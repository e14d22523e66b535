// The caller's API key lives in this tab's sessionStorage only: never in a URL, localStorage, a cookie or a log.
const storageKey = 'threatgraph.apiKey';

export function getApiKey() {
  return sessionStorage.getItem(storageKey) ?? '';
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(storageKey, key);
  } else {
    sessionStorage.removeItem(storageKey);
  }
}
