// One graphql-transport-ws connection per page, authenticated in connection_init. It reconnects with exponential
// back-off (1 s doubling to 15 s, with jitter) and re-subscribes; a refused key (4401/4403) is not retried.
import { createClient } from 'graphql-ws';

const refusedCodes = new Set([4400, 4401, 4403]);

export function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/** onStatus receives 'connecting', 'online', 'offline' or 'refused'. */
export function openSocket(apiKey, onStatus) {
  return createClient({
    url: socketUrl(),
    connectionParams: { apiKey },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !refusedCodes.has(event?.code),
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(15_000, 1000 * 2 ** retries) * (0.75 + Math.random() / 2))),
    on: {
      connecting: () => onStatus('connecting'),
      connected: () => onStatus('online'),
      closed: (event) => onStatus(refusedCodes.has(event?.code) ? 'refused' : 'offline'),
    },
  });
}

/** Subscribes; returns the function that ends the subscription. */
export function subscribe(client, query, variables, onData, onError) {
  return client.subscribe({ query, variables }, {
    next: (result) => (result.errors?.length ? onError(result.errors.map((e) => e.message).join('; ')) : onData(result.data)),
    error: (error) => onError(error?.message ?? (error?.code ? `connection closed (${error.code})` : 'subscription failed')),
    complete: () => {},
  });
}
