// @ts-check
/* Trợ lý Công vụ, administration page: the tabs (ARIA tabs, arrow keys, the open tab in the URL's
 * hash). Each panel registers what to load when its tab is opened. */
import { $ } from '../../../lib/browser/dom.js';

/** @type {HTMLElement[]} */
const tabs = Array.from(document.querySelectorAll('[role="tab"]')).filter((t) => t instanceof HTMLElement);

/** @type {Record<string, (() => void) | undefined>} */
const loaders = {};
let currentTab = 'documents';

/** What to load when the tab `name` is opened (or reloaded). @param {string} name @param {() => void} load */
export function onTabOpen(name, load) {
  loaders[name] = load;
}

/** Loads the open tab's data again. */
export function reloadCurrentTab() {
  loaders[currentTab]?.();
}

/** @param {HTMLElement} t */
const nameOf = (t) => t.dataset.tab ?? '';

/** Opens the tab `name` (and loads its data). @param {string} name @param {boolean} focus */
export function selectTab(name, focus) {
  currentTab = name;
  for (const t of tabs) {
    const on = nameOf(t) === name;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
    $('panel-' + nameOf(t)).hidden = !on;
    if (on && focus) t.focus();
  }
  if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
  reloadCurrentTab();
}

/** The tabs the officer's role may open. */
export function visibleTabs() {
  return tabs.filter((t) => !t.hidden);
}

for (const t of tabs) {
  t.addEventListener('click', () => selectTab(nameOf(t), false));
  t.addEventListener('keydown', (e) => {
    const shown = visibleTabs();
    const i = shown.indexOf(t);
    let next = null;
    if (e.key === 'ArrowRight') next = (i + 1) % shown.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + shown.length) % shown.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = shown.length - 1;
    const target = next === null ? undefined : shown[next];
    if (!target) return;
    e.preventDefault();
    selectTab(nameOf(target), true);
  });
}

export { nameOf as tabName };
