/* Trợ lý Công vụ: widget loader. A portal adds one tag:
 *   <script src="https://SERVER/widget.js" data-title="…" data-greeting="…" data-color="#0b5cad"
 *           data-position="right|left" data-suggestions="Câu hỏi 1|Câu hỏi 2" async></script>
 * It adds a round button (in a Shadow DOM, so the page's CSS and the widget's CSS cannot touch each
 * other) that opens the chat in an iframe served by SERVER. Option values are only ever set as
 * properties, attributes or URL parameters, never parsed as HTML. */
/* global window, document, URL, URLSearchParams */
(function () {
  'use strict';
  var w = window;
  var d = document;
  if (w.__tlcvWidget) return;
  var script = d.currentScript || d.querySelector('script[src$="/widget.js"],script[src*="/widget.js?"]');
  if (!script || !script.src) return;
  var origin;
  try {
    origin = new URL(script.src, d.baseURI).origin;
  } catch {
    return;
  }
  w.__tlcvWidget = true;

  function opt(name, max) {
    var v = (script.getAttribute('data-' + name) || '').trim();
    return v && v.length <= max ? v : '';
  }
  var title = opt('title', 80) || 'Trợ lý Công vụ';
  var color = opt('color', 7);
  if (!/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) color = '';
  var left = opt('position', 5).toLowerCase() === 'left';

  var params = new URLSearchParams();
  params.set('title', title);
  var greeting = opt('greeting', 500);
  if (greeting) params.set('greeting', greeting);
  if (color) params.set('color', color);
  var suggestions = opt('suggestions', 1000);
  if (suggestions) params.set('suggestions', suggestions);
  var frameUrl = origin + '/widget/frame?' + params.toString();

  /** White or near-black, whichever reads better on `hex` (WCAG relative luminance). The loader
   * stays one classic script (portal pages load it with a plain tag, cross-origin), so this is a
   * copy of `onColour` in src/lib/browser/colour.js; test/lib/browser/colour.test.ts keeps them equal. */
  function onColor(hex) {
    var h = hex.slice(1);
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var l = 0;
    [0.2126, 0.7152, 0.0722].forEach(function (k, i) {
      var c = parseInt(h.slice(i * 2, i * 2 + 2), 16) / 255;
      l += k * (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    });
    return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#fff' : '#111';
  }

  // Constant markup only: nothing from the page or the options goes through innerHTML.
  var CSS =
    ':host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important}' +
    '.b,.f{all:initial;position:fixed;z-index:2147483000;box-sizing:border-box}' +
    '.b{bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;background:var(--c,#0b5cad);color:var(--o,#fff);' +
    'display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);-webkit-tap-highlight-color:transparent}' +
    '.b:hover{filter:brightness(1.08)}' +
    '.b:focus-visible{outline:3px solid #111;outline-offset:3px;box-shadow:0 0 0 3px #fff,0 4px 14px rgba(0,0,0,.3)}' +
    '.b svg{width:28px;height:28px;fill:currentColor;display:block}.b .x,.b[aria-expanded=true] .o{display:none}.b[aria-expanded=true] .x{display:block}' +
    '.f{bottom:88px;right:20px;width:380px;height:600px;max-width:calc(100vw - 40px);max-height:calc(100vh - 108px);border:0;border-radius:12px;' +
    'background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3);display:block;z-index:2147483001}' +
    '.f[hidden]{display:none}.l .b,.l .f{right:auto;left:20px}' +
    '@media (max-width:479.98px){.f,.l .f{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}}' +
    '@media (prefers-reduced-motion:no-preference){.b{transition:filter .15s}}';
  var ICONS =
    '<svg class="o" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>' +
    '<svg class="x" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z"/></svg>';

  var host, root, wrap, btn, frame;
  var open = false;

  function build() {
    host = d.createElement('tlcv-widget');
    root = host.attachShadow({ mode: 'open' });
    var style = d.createElement('style');
    style.textContent = CSS;
    wrap = d.createElement('div');
    if (left) wrap.className = 'l';
    btn = d.createElement('button');
    btn.type = 'button';
    btn.className = 'b';
    btn.setAttribute('aria-label', 'Mở trợ lý ảo ' + title);
    btn.setAttribute('aria-expanded', 'false');
    btn.setAttribute('aria-controls', 'tlcv-frame');
    btn.innerHTML = ICONS;
    if (color) {
      btn.style.setProperty('--c', color);
      btn.style.setProperty('--o', onColor(color));
    }
    btn.addEventListener('click', function () {
      if (open) hide(true);
      else show();
    });
    wrap.appendChild(btn);
    root.appendChild(style);
    root.appendChild(wrap);
    d.body.appendChild(host);
  }

  function focusFrame() {
    if (!open || !frame) return;
    frame.focus();
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'tlcv:open' }, origin);
  }

  function show() {
    if (!frame) {
      frame = d.createElement('iframe');
      frame.className = 'f';
      frame.id = 'tlcv-frame';
      frame.title = title;
      frame.src = frameUrl;
      frame.addEventListener('load', focusFrame);
      wrap.insertBefore(frame, btn);
    } else {
      frame.hidden = false;
    }
    open = true;
    btn.setAttribute('aria-expanded', 'true');
    focusFrame();
  }

  function hide(focusButton) {
    if (!open) return;
    open = false;
    frame.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
    if (focusButton) btn.focus();
  }

  // The frame asks to close (its "Đóng" button or Escape inside it).
  w.addEventListener('message', function (e) {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
    var type = e.data && e.data.type;
    if (type === 'tlcv:close') hide(true);
    else if (type === 'tlcv:ready') focusFrame();
  });
  d.addEventListener('keydown', function (e) {
    if (open && (e.key === 'Escape' || e.key === 'Esc')) hide(true);
  });

  if (d.body) build();
  else d.addEventListener('DOMContentLoaded', build);
})();
