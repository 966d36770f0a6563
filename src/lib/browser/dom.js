// @ts-check
/* Trợ lý Công vụ: DOM helpers shared by the browser pages (the widget's chat frame and the
 * administration page). Served as an ES module at /assets/lib/browser/dom.js. Text is only ever put in the page as
 * Text nodes or attribute values: nothing here parses HTML, so markup in an answer, a question or a
 * document title shows as text. */

/**
 * The element with `id`, checked to be a `type` (default HTMLElement); throws when the page lacks
 * it, so a renamed id fails at start-up instead of on first use.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {new () => T} [type]
 * @returns {T}
 */
export function $(id, type) {
  const node = document.getElementById(id);
  const want = type ?? /** @type {new () => T} */ (/** @type {unknown} */ (HTMLElement));
  if (!(node instanceof want)) throw new Error(`#${id}: missing or not a ${want.name}`);
  return node;
}

/**
 * What `el` sets on a new element: `className`, `text` (as textContent), `onClick`, and any other
 * key as an attribute (`true` → present and empty; `null`, `undefined` and `false` → left out).
 * @typedef {{ className?: string | null, text?: string | number | null, onClick?: (event: MouseEvent) => void, [attribute: string]: unknown }} ElProps
 */

/** A child for `el`: a node, or a string appended as a Text node; `null`, `undefined` and `false` are skipped. @typedef {Node | string | null | undefined | false} ElChild */

/**
 * `document.createElement` with text, attributes and children — never HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {ElProps | string | null} [props] a string is the class name
 * @param {ElChild[] | string | null} [children] a string is the text
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props, children) {
  const node = document.createElement(tag);
  if (typeof props === 'string') {
    if (props) node.className = props;
  } else if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = String(value);
      else if (key === 'onClick' && typeof value === 'function')
        node.addEventListener('click', /** @type {(e: Event) => void} */ (value));
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  if (typeof children === 'string') node.textContent = children;
  else if (children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child); // a string becomes a Text node
    }
  }
  return node;
}

/**
 * A `<button type="button">` with a class, a text and a click handler.
 * @param {string} className
 * @param {string | null} text
 * @param {(event: MouseEvent) => void} onClick
 * @returns {HTMLButtonElement}
 */
export function button(className, text, onClick) {
  const b = el('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A decorative (aria-hidden) 24×24 SVG icon drawn from one path.
 * @param {string} d the path's `d` attribute
 * @returns {SVGSVGElement}
 */
export function svgIcon(d) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}
