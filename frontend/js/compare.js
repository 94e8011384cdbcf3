/**
 * The second backend's ranking beside the first, for the same input: a deployment with
 * `recommender_backend = "both"` answers with our engine's list and Amazon Personalize's
 * (`compare` in the result), so the two can be compared before paying for a campaign.
 * @module compare
 */
import { h } from './dom.js';

const LABELS = { builtin: 'Our engine', personalize: 'Amazon Personalize' };

/**
 * The page's name for a backend.
 * @param {string} name - "builtin" or "personalize".
 * @returns {string}
 */
export function backendLabel(name) {
  return LABELS[name] || name;
}

/**
 * Items both lists hold, for the "in both" marks.
 * @param {Array<{item_id: string}>} first
 * @param {Array<{item_id: string}>} second
 * @returns {Set<string>}
 */
export function shared(first, second) {
  const ids = new Set(first.map((r) => r.item_id));
  return new Set(second.filter((r) => ids.has(r.item_id)).map((r) => r.item_id));
}

/**
 * Two columns: the primary list (already built) and the compared backend's list.
 * @param {Object} result - The POST /recommendations answer, with `backend` and `compare`.
 * @param {HTMLElement} primaryList - The primary ranking as the results view drew it.
 * @returns {HTMLElement}
 */
export function sideBySide(result, primaryList) {
  const other = result.compare;
  const recs = other.recommendations || [];
  const both = shared(result.recommendations || [], recs);
  const body = other.error
    ? h('p', { class: 'compare__error', text: `${backendLabel(other.backend)} could not answer: ${other.error}` })
    : h('ol', { class: 'compare__list' }, recs.map((rec, i) => h('li', {
      class: `compare__item${both.has(rec.item_id) ? ' compare__item--shared' : ''}`, 'data-item-id': rec.item_id,
    },
    h('span', { class: 'compare__rank', 'aria-hidden': 'true', text: String(i + 1) }),
    h('span', { class: 'compare__name', text: rec.name || rec.item_id }),
    h('span', { class: 'compare__score', text: Number.isFinite(Number(rec.score)) && rec.score !== null
      ? `score ${Number(rec.score).toFixed(3)}` : 'no score' }),
    both.has(rec.item_id) && h('span', { class: 'sr-only', text: ' (in both lists)' }))));
  return h('div', { class: 'compare' },
    h('section', { class: 'compare__column', 'data-backend': result.backend || 'builtin' },
      h('h3', { class: 'compare__title', text: backendLabel(result.backend || 'builtin') }), primaryList),
    h('section', { class: 'compare__column', 'data-backend': other.backend },
      h('h3', { class: 'compare__title', text: backendLabel(other.backend) }),
      h('p', { class: 'muted', text: `${both.size} of ${recs.length} also in the other list` }), body));
}
