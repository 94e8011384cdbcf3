/**
 * The HTTP API client: one fetch wrapper that checks `response.ok` and turns
 * every failure into an {@link ApiError} whose message a person understands.
 * @module api
 */

/** Milliseconds after which a request counts as slow. */
export const SLOW_AFTER_MS = 3000;
/** Milliseconds after which a request is abandoned. */
export const TIMEOUT_MS = 30000;

/** A failed API call, with a message meant for the page. */
export class ApiError extends Error {
  /**
   * @param {'unreachable'|'rejected'|'not-found'|'server'|'timeout'|'invalid'} kind
   * @param {string} message - What happened, in plain words.
   * @param {number} [status] - HTTP status, when there was a response.
   */
  constructor(kind, message, status) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
  }
}

/** Talks to the recommendation service. */
export class ApiClient {
  /**
   * @param {string} baseUrl - API base URL without a trailing slash.
   * @param {{onSlow?: function(boolean): void}} [hooks] - Called with true when
   *   a request has been pending for {@link SLOW_AFTER_MS}, false when it ends.
   */
  constructor(baseUrl, hooks = {}) {
    this.baseUrl = baseUrl;
    this.onSlow = hooks.onSlow || (() => {});
  }

  /**
   * Send a request and return the parsed JSON body.
   * @param {string} path - Path starting with "/".
   * @param {{method?: string, body?: Object, signal?: AbortSignal}} [options]
   * @returns {Promise<Object>}
   * @throws {ApiError}
   */
  async request(path, { method = 'GET', body, signal } = {}) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, TIMEOUT_MS);
    const slowTimer = setTimeout(() => this.onSlow(true), SLOW_AFTER_MS);
    if (signal) signal.addEventListener('abort', () => controller.abort(), { once: true });
    let response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (err) {
      if (signal && signal.aborted) throw err;
      if (timedOut) {
        throw new ApiError('timeout',
          `The recommendation service did not answer within ${TIMEOUT_MS / 1000} seconds. Please try again.`);
      }
      throw new ApiError('unreachable',
        'The recommendation service cannot be reached. Check your connection, or that the service ' +
        'is deployed and running, then try again.');
    } finally {
      clearTimeout(timer);
      clearTimeout(slowTimer);
      this.onSlow(false);
    }
    const data = await readJson(response);
    if (response.ok) {
      if (data === undefined) {
        throw new ApiError('invalid', 'The recommendation service sent an answer this page cannot read.',
          response.status);
      }
      return data;
    }
    throw errorFor(response.status, data && typeof data.message === 'string' ? data.message : '');
  }

  /**
   * One page of the catalogue.
   * @param {{search?: string, category?: string, offset?: number, limit?: number}} query
   * @param {AbortSignal} [signal]
   * @returns {Promise<{items: Array<Object>, total: number, offset: number, limit: number, categories: string[]}>}
   */
  products({ search = '', category = '', offset = 0, limit = 50 } = {}, signal) {
    const params = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    if (search) params.set('search', search);
    if (category) params.set('category', category);
    return this.request(`/products?${params}`, { signal });
  }

  /** @returns {Promise<{fields: Array<Object>}>} The demographic fields the model knows. */
  metadataSchema() {
    return this.request('/metadata-schema');
  }

  /**
   * Ask for recommendations.
   * @param {{mode: string, items?: string[], metadata?: Object, k?: number}} body
   * @returns {Promise<Object>} The stored result document.
   */
  recommend(body) {
    return this.request('/recommendations', { method: 'POST', body });
  }

  /**
   * Record feedback on a shown item.
   * @param {{request_id: string, item_id: string, event_type: 'click'|'like'|'dismiss'}} body
   */
  sendEvent(body) {
    return this.request('/events', { method: 'POST', body });
  }
}

async function readJson(response) {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a 5xx means, in words, when the answer carries no message of its own. */
const SERVER_LEADS = {
  502: 'A step of the recommendation service failed.',
  503: 'The recommendation service is not available right now.',
  504: 'The recommendation service took too long to answer.',
};

function errorFor(status, message) {
  if (status >= 400 && status < 500 && status !== 404 && status !== 429) {
    return new ApiError('rejected',
      message || `The recommendation service could not use this request (HTTP ${status}).`, status);
  }
  if (status === 404) {
    return new ApiError('not-found', message || 'The recommendation service does not know this address.', status);
  }
  if (status === 429) {
    return new ApiError('server', 'The recommendation service is busy right now. Wait a moment and try again.',
      status);
  }
  if (message) {  // the service's own words: what happened, that nothing was stored, the request id
    return new ApiError('server', `${message.charAt(0).toUpperCase()}${message.slice(1)}.`, status);
  }
  const lead = SERVER_LEADS[status] || `The recommendation service ran into a problem (HTTP ${status}).`;
  return new ApiError('server', `${lead} Please try again in a moment.`, status);
}
