/**
 * Where the API lives. The one place that knows is the
 * `<meta name="api-url">` tag in index.html, which the deploy writes; while it
 * still holds the placeholder, a `?api=` query parameter is accepted for
 * development.
 * @module config
 */

const PLACEHOLDER = '__API_URL__';

/**
 * @typedef {Object} ApiLocation
 * @property {string|null} url - Base URL without a trailing slash, or null.
 * @property {string|null} problem - Why there is no URL, in plain words.
 */

/**
 * Read the API base URL from the page.
 * @param {Document} doc
 * @param {Location} location
 * @returns {ApiLocation}
 */
export function readApiLocation(doc = document, location = window.location) {
  const meta = doc.querySelector('meta[name="api-url"]');
  let url = meta ? meta.getAttribute('content').trim() : '';
  if (!url || url === PLACEHOLDER) {
    url = new URLSearchParams(location.search).get('api') || '';
  }
  if (!url) {
    return {
      url: null,
      problem:
        'This page does not know where the recommendation service is. ' +
        'Deploy it with "invoke deploy", which writes the service address into the page, ' +
        'or open the page with ?api=<service address> while developing.',
    };
  }
  try {
    const parsed = new URL(url, location.href);
    return { url: parsed.href.replace(/\/+$/, ''), problem: null };
  } catch {
    return { url: null, problem: `The service address "${url}" is not a valid URL.` };
  }
}
