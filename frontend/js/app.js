/**
 * Entry point: finds the API, builds the views and wires the
 * "Get Recommendations" flow (loading, slow notice, errors, swap and compare).
 * @module app
 */
import { readApiLocation } from './config.js';
import { ApiClient } from './api.js';
import { Store } from './store.js';
import { Catalogue } from './catalogue.js';
import { ChosenTray } from './chosen.js';
import { MetadataForm } from './metadata-form.js';
import { Results } from './results.js';

const $ = (id) => document.getElementById(id);

/** Page-level messages: an error notice, a status line and a screen-reader announcer. */
const messages = {
  error(text) {
    $('notice-text').textContent = text;
    $('notice').hidden = false;
    $('notice').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  },
  clearError() {
    $('notice').hidden = true;
    $('notice-text').textContent = '';
  },
  status(text) {
    $('status').textContent = text;
  },
  announce(text) {
    const announcer = $('announcer');
    announcer.textContent = '';
    // A fresh node change makes screen readers repeat an identical message.
    requestAnimationFrame(() => { announcer.textContent = text; });
  },
};

function start() {
  $('notice-close').addEventListener('click', () => messages.clearError());
  const location = readApiLocation();
  if (!location.url) {
    for (const id of ['mode-section', 'products-section', 'metadata-section']) $(id).hidden = true;
    messages.error(location.problem);
    $('submit').disabled = true;
    $('missing').textContent = 'Recommendations are unavailable until the page knows the service address.';
    return;
  }

  const store = new Store();
  let busy = false;
  const api = new ApiClient(location.url, {
    onSlow: (slow) => {
      if (slow) messages.status('Still working: the service is taking longer than usual…');
      else if (busy) messages.status('Finding recommendations…');
    },
  });
  const results = new Results(api, { section: $('results-section'), body: $('results-body') });

  async function recommend(note = '') {
    if (store.missing() || busy) return;
    busy = true;
    store.setBusy(true);
    messages.clearError();
    messages.status('Finding recommendations…');
    $('results-section').setAttribute('aria-busy', 'true');
    try {
      const result = await api.recommend(store.requestBody());
      const summary = results.show(result, { compare: Boolean(note), note });
      messages.status('');
      messages.announce(summary);
      if (!note) $('results-heading').focus({ preventScroll: true });
      $('results-section').scrollIntoView({ behavior: 'smooth', block: 'start' });
    } catch (err) {
      messages.status('');
      messages.error(err.kind === 'rejected'
        ? `The service could not use this request: ${err.message}`
        : err.message);
    } finally {
      busy = false;
      $('results-section').removeAttribute('aria-busy');
      store.setBusy(false);
    }
  }

  const catalogue = new Catalogue(api, store, {
    search: $('search'), category: $('category'), status: $('catalogue-status'),
    track: $('track'), prev: $('prev'), next: $('next'),
  }, messages.announce, (outcome, product, replaced) => {
    // A swap after a result re-asks at once, so the lists can be compared.
    if (outcome === 'swapped' && results.last && store.usesProducts() && !store.missing()) {
      recommend(`After swapping ${replaced.name} for ${product.name}: `);
    }
  });
  new ChosenTray(store, {
    counter: $('counter'), dots: $('dots'), list: $('chosen-list'), hint: $('chosen-hint'), search: $('search'),
  }, messages.announce);
  const form = new MetadataForm(api, store, { fields: $('metadata-form'), clear: $('metadata-clear') });

  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.addEventListener('change', () => store.setMode(radio.value));
  }
  $('metadata-form').addEventListener('submit', (e) => { e.preventDefault(); recommend(); });
  $('submit').addEventListener('click', () => recommend());

  store.subscribe(render);
  render(store);
  catalogue.reload();
  form.load();
}

/** Show the sections the mode needs and say what is missing. */
function render(store) {
  $('products-section').hidden = !store.usesProducts();
  $('metadata-section').hidden = !store.usesMetadata();
  $('metadata-section').querySelector('.step').textContent = store.usesProducts() ? '3' : '2';
  const missing = store.missing();
  $('missing').textContent = store.busy ? '' : missing || 'Ready: press Get Recommendations.';
  $('missing').classList.toggle('actions__missing--ready', !missing);
  $('submit').disabled = Boolean(missing) || store.busy;
  $('submit').textContent = store.busy ? 'Finding…' : 'Get Recommendations';
  $('submit').classList.toggle('button--busy', store.busy);
}

start();
