// GraphQL over HTTP with the caller's key in a header (the server applies TLP to every answer).

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export async function graphql(apiKey, query, variables) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      cache: 'no-store',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'X-Api-Key': apiKey,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('the server cannot be reached', 0);
  }
  const body = await response.json().catch(() => null);
  if (response.status === 401) {
    throw new ApiError(`API key refused: ${body?.error?.message ?? 'unauthenticated'}`, 401);
  }
  if (!body || (!body.data && body.errors?.length)) {
    const message = body?.errors?.map((e) => e.message).join('; ') ?? body?.error?.message ?? `HTTP ${response.status}`;
    throw new ApiError(message, response.status);
  }
  if (!response.ok && !body.data) {
    throw new ApiError(body.error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return body.data;
}
