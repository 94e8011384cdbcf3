/**
 * The recommendations: a ranked list with the product, a score bar and the
 * reason, the request id, and, after a swap, how each rank moved.
 * @module results
 */
import { h, replaceChildren, plural } from './dom.js';
import { productVisual } from './visual.js';
import { MODES } from './store.js';
import { sideBySide } from './compare.js';

/**
 * Bar widths in percent for a list of scores (the best is 100 %, the rest in
 * proportion, never below 6 % so every bar stays visible).
 * @param {number[]} scores
 * @returns {number[]}
 */
export function barWidths(scores) {
  if (scores.length === 0) return [];
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  if (min >= 0 && max > 0) return scores.map((s) => Math.max(6, (100 * s) / max));
  const span = max - min || 1;
  return scores.map((s) => 6 + (94 * (s - min)) / span);
}

/**
 * How each item's rank changed from the previous list.
 * @param {Array<{item_id: string}>} current
 * @param {Array<{item_id: string}>|null} previous
 * @returns {Map<string, {kind: 'new'|'up'|'down'|'same', by: number}>}
 */
export function rankChanges(current, previous) {
  const changes = new Map();
  if (!previous) return changes;
  const before = new Map(previous.map((r, i) => [r.item_id, i]));
  current.forEach((r, i) => {
    if (!before.has(r.item_id)) changes.set(r.item_id, { kind: 'new', by: 0 });
    else {
      const by = before.get(r.item_id) - i;
      changes.set(r.item_id, { kind: by > 0 ? 'up' : by < 0 ? 'down' : 'same', by: Math.abs(by) });
    }
  });
  return changes;
}

/** The results view. */
export class Results {
  /**
   * @param {import('./api.js').ApiClient} api
   * @param {{section: HTMLElement, body: HTMLElement}} els
   */
  constructor(api, els) {
    this.api = api;
    this.els = els;
    this.last = null;
  }

  /**
   * Show a result document; compare with the previous one when `compare` is set.
   * @param {Object} result - The POST /recommendations answer.
   * @param {{compare?: boolean, note?: string}} [options]
   * @returns {string} A one-line summary for screen readers.
   */
  show(result, { compare = false, note = '' } = {}) {
    const recs = result.recommendations || [];
    const changes = rankChanges(recs, compare && this.last ? this.last.recommendations || [] : null);
    const widths = barWidths(recs.map((r) => Number(r.score) || 0));
    const moved = [...changes.values()].filter((c) => c.kind !== 'same').length;
    const fresh = [...changes.values()].filter((c) => c.kind === 'new').length;
    const dropped = compare && this.last
      ? (this.last.recommendations || []).filter((r) => !changes.has(r.item_id)).length : 0;
    const summary = changes.size
      ? `${note}${plural(fresh, 'new recommendation')}, ${moved - fresh} moved, ${dropped} dropped out.`
      : `${plural(recs.length, 'recommendation')} ready.`;

    const list = recs.length === 0
      ? h('p', { class: 'muted', text: 'The service found nothing to recommend for this input.' })
      : h('ol', { class: 'results' }, recs.map((rec, i) => this.row(rec, i, widths[i], changes.get(rec.item_id), result)));
    replaceChildren(this.els.body,
      h('p', { class: 'results__meta' },
        h('span', { text: `${MODES[result.mode] || result.mode} · ${describeInput(result)}` }),
        h('span', { class: 'request-id' }, 'Request id ', h('code', { text: result.request_id }))),
      changes.size > 0 && h('p', { class: 'results__compare', text: summary }),
      result.compare ? sideBySide(result, list) : list);
    this.els.section.hidden = false;
    this.last = result;
    return summary;
  }

  row(rec, index, width, change, result) {
    const score = Number(rec.score);
    const bar = h('span', { class: 'bar__fill' });
    bar.style.width = `${width.toFixed(1)}%`;
    return h('li', { class: `result${change ? ` result--${change.kind}` : ''}`, 'data-item-id': rec.item_id },
      h('span', { class: 'result__rank', 'aria-hidden': 'true', text: String(index + 1) }),
      productVisual(rec, 44),
      h('div', { class: 'result__main' },
        h('h3', { class: 'result__name' },
          h('span', { class: 'sr-only', text: `${index + 1}. ` }),
          rec.name || rec.item_id,
          change && changeBadge(change)),
        h('p', { class: 'result__reason', text: rec.reason || '' }),
        h('div', { class: 'result__score' },
          h('span', { class: 'badge', text: rec.category || '' }),
          h('span', { class: 'bar', 'aria-hidden': 'true' }, bar),
          h('span', { class: 'score', text: `score ${Number.isFinite(score) ? score.toFixed(3) : '–'}` }))),
      this.feedback(rec, result));
  }

  feedback(rec, result) {
    const status = h('span', { class: 'feedback__status', 'aria-live': 'polite' });
    const send = (eventType, button) => async () => {
      button.disabled = true;
      try {
        await this.api.sendEvent({ request_id: result.request_id, item_id: rec.item_id, event_type: eventType });
        button.setAttribute('aria-pressed', 'true');
        status.textContent = eventType === 'like' ? 'Thanks!' : 'Noted.';
      } catch (err) {
        button.disabled = false;
        status.textContent = `Not sent: ${err.message}`;
      }
    };
    const like = h('button', { type: 'button', class: 'feedback__button', 'aria-label': `Like ${rec.name}`, text: 'Like' });
    const dismiss = h('button', {
      type: 'button', class: 'feedback__button', 'aria-label': `Not for me: ${rec.name}`, text: 'Not for me',
    });
    like.addEventListener('click', send('like', like));
    dismiss.addEventListener('click', send('dismiss', dismiss));
    return h('div', { class: 'feedback' }, like, dismiss, status);
  }
}

function changeBadge(change) {
  const words = {
    new: ['New', 'new in this list'],
    up: [`▲ ${change.by}`, `up ${plural(change.by, 'place')}`],
    down: [`▼ ${change.by}`, `down ${plural(change.by, 'place')}`],
    same: ['=', 'same place'],
  }[change.kind];
  return h('span', { class: `change change--${change.kind}` },
    h('span', { 'aria-hidden': 'true', text: words[0] }),
    h('span', { class: 'sr-only', text: ` (${words[1]})` }));
}

function describeInput(result) {
  const parts = [];
  if (Array.isArray(result.items) && result.items.length) parts.push(plural(result.items.length, 'chosen product'));
  const fields = result.metadata ? Object.keys(result.metadata).length : 0;
  if (fields) parts.push(plural(fields, 'customer detail'));
  const when = result.created_at ? new Date(result.created_at) : null;
  const time = when && !Number.isNaN(when.getTime()) ? ` · ${when.toLocaleTimeString('en')}` : '';
  return `${parts.join(' + ') || 'no input'}${time}`;
}
