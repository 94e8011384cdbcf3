/**
 * Small DOM helpers: every view builds its nodes with these, so API data only
 * ever reaches the page as text (never as markup).
 * @module dom
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Create an element.
 * @param {string} tag - Tag name.
 * @param {Object<string, *>} [attrs] - Attributes; `text` sets textContent,
 *   `class` the class list, `on<event>` adds a listener, booleans toggle.
 * @param {...(Node|string|null|undefined|false)} children - Child nodes or text.
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/**
 * Create an SVG element (same conventions as {@link h}).
 * @param {string} tag
 * @param {Object<string, *>} [attrs]
 * @param {...Node} children
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Remove every child of a node and append new ones.
 * @param {Node} node
 * @param {...(Node|string)} children
 */
export function replaceChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/**
 * Format a count with its noun, e.g. `plural(1, 'product')` → "1 product".
 * @param {number} n
 * @param {string} noun
 * @returns {string}
 */
export function plural(n, noun) {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}
