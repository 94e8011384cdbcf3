/**
 * The chosen products: a counter ("3 of 5 chosen") and a chip per product
 * with Remove and Swap. Swap marks the chip; the next product picked in the
 * carousel takes its place.
 * @module chosen
 */
import { h, replaceChildren } from './dom.js';
import { productVisual } from './visual.js';
import { PICKS } from './store.js';

/** The chosen-products tray. */
export class ChosenTray {
  /**
   * @param {import('./store.js').Store} store
   * @param {{counter: HTMLElement, dots: HTMLElement, list: HTMLElement, hint: HTMLElement,
   *          search: HTMLInputElement}} els
   * @param {function(string): void} announce
   */
  constructor(store, els, announce) {
    this.store = store;
    this.els = els;
    this.announce = announce;
    store.subscribe(() => this.render());
    this.render();
  }

  render() {
    const { chosen, swapIndex } = this.store;
    this.els.counter.textContent = `${chosen.length} of ${PICKS} chosen`;
    this.els.counter.classList.toggle('counter--done', chosen.length === PICKS);
    replaceChildren(this.els.dots, Array.from({ length: PICKS }, (_, i) =>
      h('span', { class: `dot${i < chosen.length ? ' dot--on' : ''}` })));
    replaceChildren(this.els.list, chosen.map((product, index) => this.chip(product, index, swapIndex)));
    this.els.hint.textContent = swapIndex !== null
      ? `Pick a product in the carousel to replace "${chosen[swapIndex].name}".`
      : chosen.length === 0 ? 'Nothing chosen yet: use Choose on a product below.'
        : chosen.length === PICKS ? 'All 5 chosen. Use Swap to replace one and compare the recommendations.' : '';
  }

  chip(product, index, swapIndex) {
    const swapping = swapIndex === index;
    const full = this.store.chosen.length === PICKS;
    return h('li', { class: `chip${swapping ? ' chip--swapping' : ''}`, 'data-item-id': product.item_id },
      productVisual(product, 28),
      h('span', { class: 'chip__name', text: product.name }),
      full && h('button', {
        type: 'button', class: 'chip__action', 'aria-pressed': String(swapping),
        'aria-label': swapping ? `Cancel swapping ${product.name}` : `Swap ${product.name} for another product`,
        text: swapping ? 'Cancel swap' : 'Swap',
        onclick: () => {
          this.store.setSwap(swapping ? null : index);
          if (!swapping) {
            this.announce(`Now pick the product to put in place of ${product.name}.`);
            this.els.search.focus();
          }
        },
      }),
      h('button', {
        type: 'button', class: 'chip__action chip__remove', 'aria-label': `Remove ${product.name}`, text: '×',
        onclick: () => {
          this.store.toggle(product);
          this.announce(`${product.name} removed.`);
          this.els.search.focus();
        },
      }));
  }
}
