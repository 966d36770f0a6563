/* Trợ lý Công vụ: the chat frame (/widget/frame). Served with a strict CSP (script-src 'self'), so
 * no inline script or handlers. Every piece of user, server or stored text is put in the page with
 * textContent / createElement only: an answer or question containing markup shows as text. */
/* global window, document, location, localStorage, fetch, URLSearchParams, TextDecoder */
(function () {
  'use strict';

  var KEY = 'tlcv-widget:v1';
  var MAX_MESSAGES = 50;
  var ID_RE = /^[\w-]{1,64}$/;
  var HEX_RE = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
  var NET_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';
  var SEND_ERROR = 'Không gửi được câu hỏi, vui lòng thử lại.';
  var THANKS = 'Cảm ơn bạn đã góp ý.';
  var DEFAULTS = {
    title: 'Trợ lý Công vụ',
    greeting: 'Xin chào! Tôi có thể giúp bạn tra cứu thủ tục hành chính: hồ sơ, lệ phí, thời hạn giải quyết, nơi nộp…',
    color: '#0b5cad',
    suggestions: ['Lệ phí đăng ký khai sinh bao nhiêu?', 'Làm căn cước cần giấy tờ gì?', 'Đăng ký kết hôn nộp ở đâu?'],
  };

  // ---- options from the URL query ------------------------------------------------------------
  var query = new URLSearchParams(location.search);
  function opt(name, max) {
    var v = (query.get(name) || '').trim();
    return v && v.length <= max ? v : '';
  }
  var title = opt('title', 80) || DEFAULTS.title;
  var greeting = opt('greeting', 500) || DEFAULTS.greeting;
  var color = opt('color', 7);
  if (!HEX_RE.test(color)) color = DEFAULTS.color;
  var suggestions = opt('suggestions', 1000)
    .split('|')
    .map(function (s) { return s.trim(); })
    .filter(function (s) { return s && s.length <= 200; })
    .slice(0, 5);
  if (suggestions.length === 0) suggestions = DEFAULTS.suggestions;

  // ---- colour: the brand colour and a text colour that reads on it (WCAG contrast) ------------
  function luminance(hex) {
    var h = hex.slice(1);
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var l = 0;
    [0.2126, 0.7152, 0.0722].forEach(function (k, i) {
      var c = parseInt(h.slice(i * 2, i * 2 + 2), 16) / 255;
      l += k * (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    });
    return l;
  }
  var lum = luminance(color);
  var rootStyle = document.documentElement.style;
  rootStyle.setProperty('--c', color);
  rootStyle.setProperty('--on-c', 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0556 ? '#fff' : '#111');
  // Links and outlined buttons use the colour on white only when it has 4.5:1 contrast there.
  rootStyle.setProperty('--link', 1.05 / (lum + 0.05) >= 4.5 ? color : DEFAULTS.color);

  // ---- elements -----------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  var log = $('log');
  var form = $('form');
  var input = $('input');
  var sendBtn = $('send');
  $('title').textContent = title;
  document.title = title;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function button(cls, text, onClick) {
    var b = el('button', cls, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  // ---- state, kept in localStorage as data (never HTML) --------------------------------------
  var state = { conversationId: null, messages: [] };
  var busy = false;

  function str(v, max) { return typeof v === 'string' && v.length <= max ? v : ''; }
  function cleanCitation(c) {
    if (!c || typeof c !== 'object') return null;
    var out = { n: typeof c.n === 'number' ? c.n : 0, label: str(c.label, 500), sourceId: str(c.sourceId, 200), chunkId: str(c.chunkId, 300) };
    if (str(c.url, 2000)) out.url = c.url;
    return out.sourceId || out.url ? out : null;
  }
  function cleanMessage(m) {
    if (!m || typeof m !== 'object' || (m.role !== 'user' && m.role !== 'bot') || typeof m.text !== 'string') return null;
    var out = { role: m.role, text: m.text.slice(0, 20000) };
    if (m.kind === 'error' || m.kind === 'info') out.kind = m.kind;
    if (Array.isArray(m.citations)) out.citations = m.citations.map(cleanCitation).filter(Boolean).slice(0, 20);
    if (Array.isArray(m.followUps)) out.followUps = m.followUps.filter(function (f) { return str(f, 300); }).slice(0, 6);
    if (str(m.messageId, 64)) out.messageId = m.messageId;
    if (typeof m.conversationId === 'string' && ID_RE.test(m.conversationId)) out.conversationId = m.conversationId;
    if (m.rating === 'up' || m.rating === 'down') out.rating = m.rating;
    if (m.feedbackSent === true) out.feedbackSent = true;
    return out;
  }
  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (!saved || typeof saved !== 'object') return;
      if (typeof saved.conversationId === 'string' && ID_RE.test(saved.conversationId)) state.conversationId = saved.conversationId;
      if (Array.isArray(saved.messages)) state.messages = saved.messages.map(cleanMessage).filter(Boolean).slice(-MAX_MESSAGES);
    } catch {
      // Unreadable or blocked storage: start a fresh conversation.
    }
  }
  function save() {
    state.messages = state.messages.slice(-MAX_MESSAGES);
    try {
      if (!state.conversationId && state.messages.length === 0) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, JSON.stringify({ conversationId: state.conversationId, messages: state.messages }));
    } catch {
      // Storage full or blocked: the conversation still works, it just will not survive a reload.
    }
  }

  // ---- rendering -----------------------------------------------------------------------------
  /** Plain answer text: blank lines separate paragraphs, "- " lines become a list; [n] stays text. */
  function renderText(text) {
    var box = el('div', 'text');
    var list = null;
    text.split(/\r?\n/).forEach(function (line) {
      var item = /^\s*[-•*]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) list = box.appendChild(el('ul'));
        list.appendChild(el('li', null, item[1]));
        return;
      }
      list = null;
      if (line.trim() !== '') box.appendChild(el('p', null, line));
    });
    return box;
  }

  function citationHref(c) {
    if (c.url && /^https?:\/\//i.test(c.url)) return c.url;
    return '/nguon?id=' + encodeURIComponent(c.sourceId) + (c.chunkId ? '#' + encodeURIComponent(c.chunkId) : '');
  }

  function renderSources(citations) {
    var box = el('div', 'sources');
    box.appendChild(el('p', 'sources-title', 'Nguồn'));
    var ol = box.appendChild(el('ol'));
    citations.forEach(function (c) {
      var a = el('a', null, '[' + c.n + '] ' + (c.label || c.sourceId));
      a.href = citationHref(c);
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      ol.appendChild(el('li')).appendChild(a);
    });
    return box;
  }

  function chips(cls, label, items) {
    var box = el('div', 'chips ' + cls);
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', label);
    items.forEach(function (text) {
      box.appendChild(button('chip', text, function () { send(text); }));
    });
    return box;
  }

  function postFeedback(m, rating, comment) {
    var body = { conversationId: m.conversationId || state.conversationId, messageId: m.messageId, rating: rating };
    if (comment) body.comment = comment;
    return fetch('/api/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(res.status === 429 && typeof data.message === 'string' ? data.message : 'Không gửi được góp ý, vui lòng thử lại.');
        return typeof data.message === 'string' ? data.message : THANKS;
      });
    });
  }

  // 👍 / 👎 drawn as SVG: colour emoji fonts are missing on many office PCs.
  var THUMB = {
    up: 'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z',
    down: 'M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z',
  };
  function thumbButton(kind, label, onClick) {
    var b = button('fb-btn fb-' + kind, null, onClick);
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', THUMB[kind]);
    svg.appendChild(path);
    b.appendChild(svg);
    b.appendChild(el('span', null, label));
    return b;
  }

  function renderFeedback(m) {
    var box = el('div', 'fb');
    var row = box.appendChild(el('div', 'fb-row'));
    var up = thumbButton('up', 'Hữu ích', function () { rate('up'); });
    var down = thumbButton('down', 'Chưa hữu ích', function () { rate('down'); });
    row.appendChild(up);
    row.appendChild(down);
    var status = box.appendChild(el('p', 'fb-status'));
    var formBox = null;

    function sync() {
      up.setAttribute('aria-pressed', String(m.rating === 'up'));
      down.setAttribute('aria-pressed', String(m.rating === 'down'));
      up.disabled = down.disabled = !!m.feedbackSent;
      if (m.feedbackSent) status.textContent = THANKS;
    }
    function done(message) {
      m.feedbackSent = true;
      save();
      if (formBox) formBox.remove();
      formBox = null;
      sync();
      status.textContent = message;
    }
    function fail(err) {
      status.textContent = (err && err.message) || NET_ERROR;
    }
    function rate(rating) {
      if (m.feedbackSent) return;
      m.rating = rating;
      sync();
      status.textContent = '';
      if (rating === 'up') {
        if (formBox) formBox.remove();
        formBox = null;
        postFeedback(m, 'up').then(done, fail);
        return;
      }
      if (formBox) return;
      // 👎: an optional comment before sending.
      formBox = el('div', 'fb-form');
      var id = 'fb-' + Math.random().toString(36).slice(2);
      var label = el('label', null, 'Góp ý thêm (không bắt buộc)');
      label.htmlFor = id;
      var area = el('textarea');
      area.id = id;
      area.rows = 2;
      area.maxLength = 2000;
      var submit = button('fb-send', 'Gửi góp ý', function () {
        submit.disabled = true;
        postFeedback(m, 'down', area.value.trim()).then(done, function (err) {
          submit.disabled = false;
          fail(err);
        });
      });
      formBox.appendChild(label);
      formBox.appendChild(area);
      formBox.appendChild(submit);
      box.insertBefore(formBox, status);
      area.focus();
    }
    sync();
    return box;
  }

  function renderMessage(m, last) {
    var wrap = el('div', 'msg ' + m.role + (m.kind ? ' ' + m.kind : ''));
    var bubble = wrap.appendChild(el('div', 'bubble'));
    if (m.role === 'user') {
      wrap.appendChild(el('span', 'sr-only', 'Bạn hỏi:'));
      wrap.insertBefore(wrap.lastChild, bubble);
      bubble.textContent = m.text;
      return wrap;
    }
    bubble.appendChild(renderText(m.text));
    if (m.citations && m.citations.length) bubble.appendChild(renderSources(m.citations));
    if (m.messageId) wrap.appendChild(renderFeedback(m));
    if (last && m.followUps && m.followUps.length) wrap.appendChild(chips('followups', 'Câu hỏi gợi ý tiếp theo', m.followUps));
    return wrap;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function renderAll() {
    log.replaceChildren();
    log.appendChild(renderMessage({ role: 'bot', text: greeting }, false)).classList.add('greeting');
    if (state.messages.length === 0) log.appendChild(chips('suggestions', 'Câu hỏi gợi ý', suggestions));
    state.messages.forEach(function (m, i) {
      log.appendChild(renderMessage(m, i === state.messages.length - 1));
    });
    scrollDown();
  }

  function addMessage(m) {
    state.messages.push(m);
    save();
    var node = log.appendChild(renderMessage(m, true));
    scrollDown();
    // A long answer is read from its start, not from its last line.
    if (m.role === 'bot') log.scrollTop = Math.min(log.scrollTop, node.offsetTop - 8);
  }

  /** Suggestions and follow-ups only belong under the latest message. */
  function clearChips() {
    var hadFocus = document.activeElement && document.activeElement.classList.contains('chip');
    log.querySelectorAll('.chips').forEach(function (n) { n.remove(); });
    if (hadFocus) input.focus();
  }

  function typing() {
    var wrap = el('div', 'msg bot pending');
    var bubble = wrap.appendChild(el('div', 'bubble typing'));
    bubble.appendChild(el('span', 'dot'));
    bubble.appendChild(el('span', 'dot'));
    bubble.appendChild(el('span', 'dot'));
    bubble.appendChild(el('span', 'sr-only', 'Đang soạn câu trả lời…'));
    var text = null;
    log.appendChild(wrap);
    scrollDown();
    return {
      node: wrap,
      append: function (piece) {
        if (!text) {
          bubble.replaceChildren();
          bubble.className = 'bubble streaming';
          text = bubble.appendChild(document.createTextNode(''));
        }
        text.appendData(piece);
        scrollDown();
      },
    };
  }

  // ---- talking to the server -----------------------------------------------------------------
  function userError(message) {
    var e = new Error(message);
    e.userMessage = message;
    return e;
  }

  /** Reads the Server-Sent Events of POST /api/chat/stream; resolves with the final answer. */
  function readStream(res, onDelta) {
    var answer = null;
    function handle(block) {
      var event = 'message';
      var data = [];
      block.split('\n').forEach(function (line) {
        if (line.indexOf('event:') === 0) event = line.slice(6).trim();
        else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
      });
      if (data.length === 0) return;
      var payload = JSON.parse(data.join('\n'));
      if (event === 'delta' && typeof payload.text === 'string') onDelta(payload.text);
      else if (event === 'answer') answer = payload;
      else if (event === 'error') throw userError(typeof payload.message === 'string' ? payload.message : NET_ERROR);
    }
    function finish(rest) {
      if (rest.trim()) handle(rest);
      if (!answer || typeof answer.answer !== 'string') throw userError(NET_ERROR);
      return answer;
    }
    if (!res.body || !res.body.getReader) {
      return res.text().then(function (all) {
        var blocks = all.replace(/\r\n/g, '\n').split('\n\n');
        var rest = blocks.pop();
        blocks.forEach(handle);
        return finish(rest);
      });
    }
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (r) {
        buffer += decoder.decode(r.value || new Uint8Array(0), { stream: !r.done });
        buffer = buffer.replace(/\r\n/g, '\n');
        var i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          var block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          handle(block);
        }
        return r.done ? finish(buffer) : pump();
      });
    }
    return pump();
  }

  function errorFrom(res) {
    return res.json().catch(function () { return {}; }).then(function (data) {
      if (res.status === 429 && typeof data.message === 'string') return data.message;
      return res.status >= 500 ? NET_ERROR : SEND_ERROR;
    });
  }

  function setBusy(on) {
    busy = on;
    sendBtn.disabled = on;
    form.setAttribute('aria-busy', String(on));
    log.setAttribute('aria-busy', String(on));
  }

  function send(raw) {
    var text = (raw || '').trim();
    if (!text || busy) return;
    setBusy(true);
    clearChips();
    addMessage({ role: 'user', text: text });
    var pending = typing();
    var body = { message: text, channel: 'web' };
    if (state.conversationId) body.conversationId = state.conversationId;
    fetch('/api/chat/stream', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        if (!res.ok) return errorFrom(res).then(function (msg) { throw userError(msg); });
        return readStream(res, pending.append);
      })
      .then(function (a) {
        pending.node.remove();
        if (typeof a.conversationId === 'string' && ID_RE.test(a.conversationId)) state.conversationId = a.conversationId;
        var m = cleanMessage({
          role: 'bot',
          text: a.answer,
          citations: a.citations,
          followUps: a.followUps,
          messageId: a.messageId,
          conversationId: a.conversationId,
        });
        if (a.outcome === 'error') m.kind = 'error';
        addMessage(m);
      })
      .catch(function (err) {
        pending.node.remove();
        addMessage({ role: 'bot', kind: 'error', text: (err && err.userMessage) || NET_ERROR });
      })
      .then(function () {
        setBusy(false);
      });
  }

  var contactPromise = null;
  function handoff() {
    if (!contactPromise) {
      contactPromise = fetch('/widget/config.json').then(function (res) {
        if (!res.ok) throw new Error('config');
        return res.json();
      });
    }
    contactPromise.then(
      function (cfg) {
        var contact = typeof cfg.handoffContact === 'string' && cfg.handoffContact.trim() ? cfg.handoffContact.trim() : '';
        addMessage({
          role: 'bot',
          kind: 'info',
          text: contact ? 'Để gặp cán bộ hỗ trợ trực tiếp, bạn vui lòng liên hệ: ' + contact : 'Bạn vui lòng liên hệ Bộ phận Một cửa nơi nộp hồ sơ để được cán bộ hỗ trợ trực tiếp.',
        });
      },
      function () {
        contactPromise = null;
        addMessage({ role: 'bot', kind: 'error', text: NET_ERROR });
      },
    );
  }

  function newConversation() {
    if (busy) return;
    state = { conversationId: null, messages: [] };
    save();
    renderAll();
    input.value = '';
    fit();
    input.focus();
  }

  function closeFrame() {
    if (window.parent !== window) window.parent.postMessage({ type: 'tlcv:close' }, '*');
  }

  // ---- wiring -------------------------------------------------------------------------------
  function fit() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }

  function submit() {
    if (busy) return;
    var text = input.value;
    if (!text.trim()) return;
    input.value = '';
    fit();
    send(text);
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
  });
  // Enter sends, Shift+Enter starts a new line (and Enter while composing Vietnamese with an IME is left alone).
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', fit);
  $('close').addEventListener('click', closeFrame);
  $('new').addEventListener('click', newConversation);
  $('handoff').addEventListener('click', handoff);
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') closeFrame();
  });
  // The loader asks for focus each time it shows the frame.
  window.addEventListener('message', function (e) {
    if (e.source === window.parent && e.data && e.data.type === 'tlcv:open') input.focus();
  });

  // Opened on its own (not embedded by the loader) there is nothing to close.
  if (window.parent === window) $('close').hidden = true;

  load();
  renderAll();
  input.focus();
  if (window.parent !== window) window.parent.postMessage({ type: 'tlcv:ready' }, '*');
})();
