/**
 * The page's state and the rules on it: which mode, which products are
 * chosen (exactly {@link PICKS}), what metadata was entered, and whether a
 * request can be sent.
 * @module store
 */

/** How many products a person chooses. */
export const PICKS = 5;

/** The three ways to ask, with the words the page uses for them. */
export const MODES = {
  products: 'Select Products',
  metadata: 'Provide Metadata',
  both: 'Both',
};

/**
 * @typedef {Object} Product
 * @property {string} item_id
 * @property {string} name
 * @property {string} category
 * @property {string} [description]
 */

/** Holds the state; views subscribe and re-render on change. */
export class Store {
  constructor() {
    /** @type {'products'|'metadata'|'both'} */
    this.mode = 'products';
    /** @type {Product[]} */
    this.chosen = [];
    /** Index in `chosen` being swapped for the next product picked, or null. */
    this.swapIndex = null;
    /** @type {Object<string, *>} Valid metadata values by field name. */
    this.metadata = {};
    /** @type {Object<string, string>} Validation messages by field name. */
    this.metadataErrors = {};
    /** True once the metadata schema has loaded. */
    this.schemaLoaded = false;
    this.busy = false;
    this.listeners = new Set();
  }

  /** @param {function(Store): void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
  }

  /** Tell every view the state changed. */
  changed() {
    for (const listener of this.listeners) listener(this);
  }

  /** @param {'products'|'metadata'|'both'} mode */
  setMode(mode) {
    if (!(mode in MODES)) return;
    this.mode = mode;
    this.changed();
  }

  /** @param {string} itemId */
  isChosen(itemId) {
    return this.chosen.some((p) => p.item_id === itemId);
  }

  /** True when another product can be picked (a free slot or a swap waiting). */
  canPick() {
    return this.chosen.length < PICKS || this.swapIndex !== null;
  }

  /**
   * Choose a product, or un-choose it if it is already chosen. While a swap is
   * waiting, the product takes the swapped one's place.
   * @param {Product} product
   * @returns {'added'|'removed'|'swapped'|'full'}
   */
  toggle(product) {
    const at = this.chosen.findIndex((p) => p.item_id === product.item_id);
    let outcome;
    if (at >= 0) {
      this.chosen.splice(at, 1);
      if (this.swapIndex !== null) this.swapIndex = null;
      outcome = 'removed';
    } else if (this.swapIndex !== null) {
      this.chosen[this.swapIndex] = product;
      this.swapIndex = null;
      outcome = 'swapped';
    } else if (this.chosen.length >= PICKS) {
      return 'full';
    } else {
      this.chosen.push(product);
      outcome = 'added';
    }
    this.changed();
    return outcome;
  }

  /** @param {number|null} index - The chosen product to swap, or null to cancel. */
  setSwap(index) {
    this.swapIndex = index;
    this.changed();
  }

  /**
   * Record one metadata field's state.
   * @param {string} name
   * @param {*} value - The valid value, or undefined when empty or invalid.
   * @param {string} [error] - Validation message, empty when valid.
   */
  setMetadata(name, value, error = '') {
    if (value === undefined) delete this.metadata[name];
    else this.metadata[name] = value;
    if (error) this.metadataErrors[name] = error;
    else delete this.metadataErrors[name];
    this.changed();
  }

  /** @param {boolean} busy */
  setBusy(busy) {
    this.busy = busy;
    this.changed();
  }

  /** True when the chosen mode uses products. */
  usesProducts() {
    return this.mode !== 'metadata';
  }

  /** True when the chosen mode uses metadata. */
  usesMetadata() {
    return this.mode !== 'products';
  }

  /**
   * What stops a request from being sent, in one sentence, or '' when ready.
   * @returns {string}
   */
  missing() {
    const needs = [];
    if (this.usesProducts()) {
      const left = PICKS - this.chosen.length;
      if (this.swapIndex !== null) needs.push(`pick a product to replace "${this.chosen[this.swapIndex].name}"`);
      else if (left > 0) needs.push(`choose ${left} more product${left === 1 ? '' : 's'}`);
    }
    if (this.usesMetadata()) {
      const errors = Object.keys(this.metadataErrors).length;
      if (!this.schemaLoaded) needs.push('wait for the customer details form to load');
      else if (errors) needs.push(`correct ${errors === 1 ? 'the detail' : `${errors} details`} marked in red`);
      else if (Object.keys(this.metadata).length === 0) needs.push('fill in at least one customer detail');
    }
    if (needs.length === 0) return '';
    const sentence = needs.join(' and ');
    return `To get recommendations, ${sentence}.`;
  }

  /** The request body for the chosen mode. */
  requestBody() {
    const body = { mode: this.mode, k: 10 };
    if (this.usesProducts()) body.items = this.chosen.map((p) => p.item_id);
    if (this.usesMetadata()) body.metadata = { ...this.metadata };
    return body;
  }
}
