/**
 * A picture per product, drawn in the page: a tile in the category's colour
 * with an icon for the kind of product and the product's initials.
 * @module visual
 */
import { svg } from './dom.js';

/** Tile colours (dark enough for white text, WCAG AA at the initials' size). */
const PALETTE = [
  '#1d4ed8', '#047857', '#b45309', '#7c3aed', '#be123c', '#0e7490',
  '#4d7c0f', '#c2410c', '#6d28d9', '#0f766e', '#a21caf', '#374151',
];

/** Icon paths on a 24×24 grid, chosen by keywords in the category name. */
const ICONS = [
  [/mortgage|home|house|propert/, 'M3 11 12 4l9 7v9h-6v-6H9v6H3z'],
  [/card|credit/, 'M2 6h20v12H2zM2 9.5h20M5 15h5'],
  [/deposit|saving|piggy/, 'M5 10a7 5 0 0 1 14 0v5H5zM8 15v3M16 15v3M12 5V3'],
  [/fund|invest|securit|deriv|stock|share/, 'M3 20h18M5 16l4-5 4 3 6-8M15 6h4v4'],
  [/loan|lend|financ/, 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM14.5 8.5h-3.5a2 2 0 0 0 0 4h2a2 2 0 0 1 0 4H9.5M12 6.5v11'],
  [/pension|retire/, 'M12 4v2M12 18v2M4 12h2M18 12h2M6.3 6.3l1.4 1.4M16.3 16.3l1.4 1.4M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z'],
  [/insur|guarant|protect/, 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z'],
  [/tax|pay|debit|bill|service|transfer/, 'M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6'],
  [/account|current|wallet|junior|particular/, 'M3 7h16a2 2 0 0 1 2 2v9H3zM3 7l13-3v3M16 12h5v3h-5z'],
  [/comedy|child|animation|family/, 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 14c1 2 7 2 8 0M9 9.5h.01M15 9.5h.01'],
  [/drama|romance|musical/, 'M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z'],
  [/action|adventure|war|western/, 'M13 2 4 14h7l-1 8 9-12h-7z'],
  [/thriller|horror|crime|mystery|noir/, 'M12 3a7 7 0 0 0-7 7v11l2.5-2 2.5 2 2-2 2 2 2.5-2 2.5 2V10a7 7 0 0 0-7-7zM9.5 10h.01M14.5 10h.01'],
  [/sci|fantasy|space/, 'M12 3l2.5 6 6.5.5-5 4.3 1.6 6.2L12 16.6 6.4 20l1.6-6.2-5-4.3 6.5-.5z'],
  [/document|film|movie/, 'M4 5h16v14H4zM4 9h16M8 5v4M12 5v4M16 5v4'],
];
const DEFAULT_ICON = 'M12 3l2.5 6 6.5.5-5 4.3 1.6 6.2L12 16.6 6.4 20l1.6-6.2-5-4.3 6.5-.5z';

/**
 * A stable colour for a category name.
 * @param {string} category
 * @returns {string} CSS colour.
 */
export function categoryColour(category) {
  let hash = 0;
  for (const ch of String(category || '').toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/**
 * Up to two initials from a product name ("Long-term deposit" → "LD").
 * @param {string} name
 * @returns {string}
 */
export function initials(name) {
  const words = String(name || '?').replace(/\(.*?\)/g, ' ').match(/[\p{L}\p{N}]+/gu) || ['?'];
  const picked = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return picked.map((w) => w[0].toUpperCase()).join('');
}

function iconFor(category, name) {
  const text = `${category} ${name}`.toLowerCase();
  const found = ICONS.find(([pattern]) => pattern.test(text));
  return found ? found[1] : DEFAULT_ICON;
}

/**
 * The picture for a product, decorative (the name is always shown beside it).
 * @param {{name: string, category: string}} product
 * @param {number} [size] - Width and height in CSS pixels.
 * @returns {SVGSVGElement}
 */
export function productVisual(product, size = 64) {
  const colour = categoryColour(product.category);
  const small = size < 40;
  return svg('svg', {
    class: 'visual', width: size, height: size, viewBox: '0 0 64 64',
    'aria-hidden': 'true', focusable: 'false',
  },
  svg('rect', { width: 64, height: 64, rx: 14, fill: colour }),
  svg('circle', { cx: 54, cy: 8, r: 20, fill: '#ffffff', 'fill-opacity': 0.12 }),
  svg('g', {
    transform: small ? 'translate(8 8) scale(2)' : 'translate(7 6) scale(1.3)', fill: 'none', stroke: '#ffffff',
    'stroke-width': small ? 1.6 : 1.7, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  }, svg('path', { d: iconFor(product.category, product.name) })),
  !small && svg('text', {
    x: 58, y: 57, 'text-anchor': 'end', fill: '#ffffff',
    'font-size': 18, 'font-weight': 800, 'font-family': 'system-ui, sans-serif',
    text: initials(product.name),
  }));
}
