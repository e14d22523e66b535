// The API-key field both pages share: checks a key against the server before keeping it, and says clearly when the
// server refuses it.
import { getApiKey, setApiKey } from './apiKey.js';
import { graphql } from './http.js';

/** Wires the form #key-form; onKey(key) is called with an accepted key (on load too, when one is stored). */
export function setUpKeyForm(onKey) {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const message = document.getElementById('key-message');
  const forget = document.getElementById('key-forget');

  async function use(key) {
    message.textContent = 'Checking the key…';
    message.className = 'key-message';
    try {
      await graphql(key, '{ __typename }');
    } catch (error) {
      setApiKey('');
      document.body.dataset.auth = 'refused';
      message.textContent = error.status === 401
        ? 'This API key was refused by the server (unknown or revoked). Check the key and try again.'
        : `Could not check the key: ${error.message}`;
      message.className = 'key-message error';
      message.setAttribute('role', 'alert');
      onKey('');
      return;
    }
    setApiKey(key);
    document.body.dataset.auth = 'ok';
    message.textContent = 'Key accepted (kept in this tab only).';
    message.className = 'key-message ok';
    message.removeAttribute('role');
    input.value = '';
    onKey(key);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) {
      use(key);
    }
  });
  forget.addEventListener('click', () => {
    setApiKey('');
    document.body.dataset.auth = 'none';
    message.textContent = 'Key forgotten.';
    message.className = 'key-message';
    onKey('');
  });
  const stored = getApiKey();
  if (stored) {
    use(stored);
  } else {
    document.body.dataset.auth = 'none';
    message.textContent = 'Enter your API key to begin.';
  }
}
