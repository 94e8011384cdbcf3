/**
 * The customer-details form, built from `GET /metadata-schema`: a number
 * input for integer and number fields, a select for categorical ones with a
 * short list of values, and a text box with suggestions for open ones (a
 * postal code, several genres), with a message under a field when its value
 * cannot be used. As in the engine, a value it has not seen counts as not given.
 * @module metadata-form
 */
import { h, replaceChildren } from './dom.js';

/**
 * Check one raw value against its field.
 * @param {{type: string, label?: string, name: string, minimum?: number, maximum?: number, values?: Array}} field
 * @param {string} raw - What the person typed or selected ('' when empty).
 * @returns {{value: *, error: string}} value is undefined when empty or invalid.
 */
export function validate(field, raw) {
  const label = field.label || field.name;
  const text = String(raw).trim();
  if (text === '') return { value: undefined, error: '' };
  if (field.type === 'categorical') {
    if (isOpen(field)) return { value: text, error: '' };
    const value = (field.values || []).find((v) => String(v) === text);
    return value === undefined
      ? { value: undefined, error: `Choose one of the listed options for ${label}.` }
      : { value, error: '' };
  }
  const number = Number(text);
  if (!Number.isFinite(number)) return { value: undefined, error: `${label} must be a number.` };
  if (field.type === 'integer' && !Number.isInteger(number)) {
    return { value: undefined, error: `${label} must be a whole number.` };
  }
  return { value: number, error: '' };
}

/** Options too many for a select, values read by prefix, or several values per customer: type it. */
export function isOpen(field) {
  return field.type === 'categorical'
    && (Boolean(field.multi) || field.other_values === 'by prefix' || (field.values || []).length > OPEN_AFTER);
}

const OPEN_AFTER = 30;

function fmt(n) {
  return Number(n).toLocaleString('en', { maximumFractionDigits: 2 });
}

/** The metadata form view. */
export class MetadataForm {
  /**
   * @param {import('./api.js').ApiClient} api
   * @param {import('./store.js').Store} store
   * @param {{fields: HTMLElement, clear: HTMLButtonElement}} els
   */
  constructor(api, store, els) {
    this.api = api;
    this.store = store;
    this.els = els;
    this.inputs = [];
    els.clear.addEventListener('click', () => this.clear());
  }

  /** Fetch the schema and build the form. */
  async load() {
    replaceChildren(this.els.fields, h('p', { class: 'muted', text: 'Loading the customer details form…' }));
    try {
      const schema = await this.api.metadataSchema();
      this.build(schema.fields || []);
    } catch (err) {
      replaceChildren(this.els.fields, h('div', { class: 'inline-error', role: 'alert' },
        h('p', { text: `The customer details form could not be loaded. ${err.message}` }),
        h('button', { type: 'button', class: 'button', text: 'Try again', onclick: () => this.load() })));
    }
  }

  build(fields) {
    this.inputs = [];
    if (fields.length === 0) {
      replaceChildren(this.els.fields, h('p', { class: 'muted', text: 'This model knows no customer details; choose products instead.' }));
      return;
    }
    replaceChildren(this.els.fields, fields.map((field) => this.fieldRow(field)));
    this.store.schemaLoaded = true;
    this.store.changed();
  }

  fieldRow(field) {
    const id = `md-${field.name}`;
    const label = field.label || field.name;
    const help = [field.description, rangeText(field)].filter(Boolean).join(' · ');
    const error = h('p', { class: 'field__error', id: `${id}-error`, 'aria-live': 'polite' });
    const described = `${id}-help ${id}-error`;
    const open = isOpen(field);
    let control;
    if (field.type !== 'categorical') {
      control = h('input', {
        id, name: field.name, type: 'number', inputmode: field.type === 'integer' ? 'numeric' : 'decimal',
        step: field.type === 'integer' ? 1 : 'any', placeholder: 'Not given', 'aria-describedby': described,
      });
    } else if (open) {
      control = h('input', { id, name: field.name, type: 'text', list: `${id}-values`, autocomplete: 'off',
        placeholder: field.multi ? 'Not given (several: a|b)' : 'Not given', 'aria-describedby': described });
    } else {
      control = h('select', { id, name: field.name, 'aria-describedby': described },
        h('option', { value: '', text: 'Not given' }),
        (field.values || []).map((v) => h('option', { value: String(v), text: String(v) })));
    }
    const suggestions = open
      ? h('datalist', { id: `${id}-values` }, (field.values || []).map((v) => h('option', { value: String(v) })))
      : null;
    const show = (result) => {
      error.textContent = result.error;
      control.setAttribute('aria-invalid', String(Boolean(result.error)));
      control.closest('.field').classList.toggle('field--invalid', Boolean(result.error));
    };
    // Typing shows a fix at once, but a new complaint only once the person leaves the field.
    control.addEventListener('input', () => {
      const result = validate(field, control.value);
      if (!result.error || error.textContent) show(result);
      this.store.setMetadata(field.name, result.value, error.textContent ? result.error : '');
    });
    control.addEventListener('change', () => {
      const result = validate(field, control.value);
      show(result);
      this.store.setMetadata(field.name, result.value, result.error);
    });
    this.inputs.push({ field, control, show });
    return h('div', { class: 'field' },
      h('label', { for: id, text: label }),
      control,
      suggestions,
      h('p', { class: 'field__help', id: `${id}-help`, text: help }),
      error);
  }

  clear() {
    for (const { field, control, show } of this.inputs) {
      control.value = '';
      show({ error: '' });
      this.store.setMetadata(field.name, undefined, '');
    }
  }
}

function rangeText(field) {
  if (field.type === 'categorical') {
    if (field.multi) return 'one or more values, separated by |';
    return isOpen(field) ? 'any value; one the model does not know counts as not given' : '';
  }
  const hasMin = typeof field.minimum === 'number';
  const hasMax = typeof field.maximum === 'number';
  const unit = field.type === 'integer' ? 'whole number' : 'number';
  if (hasMin && hasMax) return `${unit}; customers in training: ${fmt(field.minimum)} to ${fmt(field.maximum)}`;
  return unit;
}
