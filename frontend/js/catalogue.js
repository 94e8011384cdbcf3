/**
 * The product carousel: a page of the catalogue at a time from
 * `GET /products`, with search and a category filter, more pages fetched as
 * the carousel nears its end.
 * @module catalogue
 */
import { h, replaceChildren, plural } from './dom.js';
import { productVisual } from './visual.js';
import { PICKS } from './store.js';

const PAGE_SIZE = 24;
const SEARCH_DELAY_MS = 250;

/** The carousel view. */
export class Catalogue {
  /**
   * @param {import('./api.js').ApiClient} api
   * @param {import('./store.js').Store} store
   * @param {{search: HTMLInputElement, category: HTMLSelectElement, status: HTMLElement,
   *          track: HTMLElement, prev: HTMLButtonElement, next: HTMLButtonElement}} els
   * @param {function(string): void} announce - Reads a short message to screen readers.
   * @param {function(string, Object, Object|null): void} [onPicked] - Called with the outcome,
   *   the product and, for a swap, the product it replaced.
   */
  constructor(api, store, els, announce, onPicked = () => {}) {
    this.onPicked = onPicked;
    this.api = api;
    this.store = store;
    this.els = els;
    this.announce = announce;
    this.items = [];
    this.total = 0;
    this.loading = false;
    this.generation = 0;
    this.controller = null;
    this.buttons = new Map();
    this.sentinel = h('li', { class: 'card card--more', 'aria-hidden': 'true' });
    this.observer = 'IntersectionObserver' in window
      ? new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.loadMore();
      }, { root: els.track, rootMargin: '0px 1000px 0px 1000px' })
      : null;

    let timer = null;
    els.search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.reload(), SEARCH_DELAY_MS);
    });
    els.category.addEventListener('change', () => this.reload());
    els.prev.addEventListener('click', () => this.scrollBy(-1));
    els.next.addEventListener('click', () => this.scrollBy(1));
    els.track.addEventListener('scroll', () => this.updateArrows(), { passive: true });
    store.subscribe(() => this.refreshButtons());
  }

  /** Start again from the first page with the current search and category. */
  reload() {
    this.items = [];
    this.total = 0;
    this.buttons.clear();
    this.generation += 1;
    if (this.controller) this.controller.abort();
    this.loading = false;
    replaceChildren(this.els.track);
    this.els.track.scrollLeft = 0;
    this.loadMore();
  }

  /** Fetch the next page if there is one and none is on its way. */
  async loadMore() {
    if (this.loading || (this.items.length > 0 && this.items.length >= this.total)) return;
    this.loading = true;
    const generation = this.generation;
    this.controller = new AbortController();
    this.setStatus(this.items.length ? 'Loading more products…' : 'Loading products…');
    try {
      const page = await this.api.products({
        search: this.els.search.value.trim(),
        category: this.els.category.value,
        offset: this.items.length,
        limit: PAGE_SIZE,
      }, this.controller.signal);
      if (generation !== this.generation) return;
      this.fillCategories(page.categories || []);
      this.total = page.total;
      this.append(page.items || []);
      this.loading = false;
      this.showCount();
    } catch (err) {
      if (generation !== this.generation || err.name === 'AbortError') return;
      this.loading = false;
      this.showError(err.message);
    }
  }

  append(items) {
    this.sentinel.remove();
    if (this.observer) this.observer.unobserve(this.sentinel);
    for (const product of items) {
      this.items.push(product);
      this.els.track.append(this.card(product));
    }
    if (this.items.length === 0) {
      const query = this.els.search.value.trim();
      this.els.track.append(h('li', { class: 'card card--empty', text:
        query ? `No products match "${query}". Try a shorter word or another category.` : 'No products in this category.' }));
    } else if (this.items.length < this.total) {
      this.els.track.append(this.sentinel);
      if (this.observer) this.observer.observe(this.sentinel);
      else this.sentinel.append(h('button', { type: 'button', class: 'button', text: 'Load more', onclick: () => this.loadMore() }));
    }
    this.els.track.classList.toggle('carousel__track--message', this.items.length === 0);
    this.refreshButtons();
    this.updateArrows();
  }

  card(product) {
    const button = h('button', {
      type: 'button', class: 'pick', 'data-item-id': product.item_id,
      onclick: () => this.pick(product),
    });
    this.buttons.set(product.item_id, button);
    return h('li', { class: 'card', 'data-item-id': product.item_id },
      h('div', { class: 'card__head' },
        productVisual(product, 56),
        h('span', { class: 'badge', text: product.category })),
      h('h3', { class: 'card__name', text: product.name }),
      h('p', { class: 'card__desc', text: product.description || '' }),
      button);
  }

  pick(product) {
    const swapped = this.store.swapIndex !== null ? this.store.chosen[this.store.swapIndex] : null;
    const outcome = this.store.toggle(product);
    const left = PICKS - this.store.chosen.length;
    const messages = {
      added: `${product.name} chosen. ${left ? `${left} more to choose.` : 'All 5 chosen.'}`,
      removed: `${product.name} removed. ${left} more to choose.`,
      swapped: `${swapped ? swapped.name : 'A product'} swapped for ${product.name}.`,
      full: `You have already chosen ${PICKS} products. Remove or swap one first.`,
    };
    this.announce(messages[outcome]);
    this.onPicked(outcome, product, swapped);
  }

  refreshButtons() {
    const full = !this.store.canPick();
    const swapping = this.store.swapIndex !== null;
    for (const [itemId, button] of this.buttons) {
      const chosen = this.store.isChosen(itemId);
      const name = button.closest('.card').querySelector('.card__name').textContent;
      button.setAttribute('aria-pressed', String(chosen));
      button.disabled = full && !chosen;
      button.textContent = chosen ? 'Chosen ✓' : swapping ? 'Swap in' : 'Choose';
      button.setAttribute('aria-label', `${chosen ? 'Remove' : swapping ? 'Swap in' : 'Choose'} ${name}`);
      button.closest('.card').classList.toggle('card--chosen', chosen);
    }
  }

  fillCategories(categories) {
    const select = this.els.category;
    if (select.options.length > 1 || categories.length === 0) return;
    for (const category of categories) select.append(h('option', { value: category, text: category }));
  }

  showCount() {
    const shown = this.items.length;
    const text = this.total === 0 ? 'No products found.'
      : shown < this.total ? `Showing ${shown.toLocaleString('en')} of ${plural(this.total, 'product')}; scroll for more.`
        : `Showing ${plural(this.total, 'product')}.`;
    this.setStatus(text);
  }

  showError(message) {
    this.setStatus('');
    this.sentinel.remove();
    this.els.track.append(h('li', { class: 'card card--error', role: 'alert' },
      h('p', { text: `Products could not be loaded. ${message}` }),
      h('button', { type: 'button', class: 'button', text: 'Try again', onclick: (e) => {
        e.currentTarget.closest('li').remove();
        this.loadMore();
      } })));
    this.els.track.classList.toggle('carousel__track--message', this.items.length === 0);
    this.updateArrows();
  }

  setStatus(text) {
    this.els.status.textContent = text;
  }

  scrollBy(direction) {
    const track = this.els.track;
    track.scrollBy({ left: direction * track.clientWidth * 0.85, behavior: 'smooth' });
  }

  updateArrows() {
    const track = this.els.track;
    this.els.prev.disabled = track.scrollLeft <= 2;
    this.els.next.disabled = track.scrollLeft + track.clientWidth >= track.scrollWidth - 2;
  }
}
