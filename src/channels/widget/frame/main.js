// @ts-check
/* Trợ lý Công vụ: the chat frame (/widget/frame), an ES module loaded by frame.html. Served with a
 * strict CSP (script-src 'self'), so no inline script or handlers. Every piece of user, server or
 * stored text is put in the page with textContent / createElement only: an answer or question
 * containing markup shows as text. */
import { themeColours } from '../../../lib/browser/colour.js';
import { $ } from '../../../lib/browser/dom.js';
import { NET_ERROR, UserError, ask, handoffContact, sendFeedback } from './api.js';
import { DEFAULTS, readOptions } from './options.js';
import { chips, renderMessage, typingIndicator } from './render.js';
import { Conversation, ID_RE, cleanMessage } from './state.js';

/** @typedef {import('./state.js').Message} Message */
/** @typedef {import('./render.js').Actions} Actions */

const options = readOptions(location.search);
for (const [name, value] of Object.entries(themeColours(options.color, DEFAULTS.color))) {
  document.documentElement.style.setProperty(name, value);
}

const log = $('log');
const form = $('form', HTMLFormElement);
const input = $('input', HTMLTextAreaElement);
const sendBtn = $('send', HTMLButtonElement);
const closeBtn = $('close', HTMLButtonElement);
$('title').textContent = options.title;
document.title = options.title;

/** localStorage, or null where the browser blocks it (reading the property itself can throw). */
function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
const conversation = new Conversation(storage());
let busy = false;

/** @type {Actions} */
const actions = {
  send,
  save: () => conversation.save(),
  rate: (m, rating, comment) =>
    sendFeedback({
      conversationId: m.conversationId || conversation.conversationId,
      messageId: m.messageId ?? '',
      rating,
      comment,
    }),
};

// ---- the message list ------------------------------------------------------------------------
function scrollDown() {
  log.scrollTop = log.scrollHeight;
}

function renderAll() {
  log.replaceChildren();
  log
    .appendChild(renderMessage({ role: 'bot', text: options.greeting }, false, actions))
    .classList.add('greeting');
  const { messages } = conversation;
  if (messages.length === 0)
    log.appendChild(chips('suggestions', 'Câu hỏi gợi ý', options.suggestions, send));
  messages.forEach((m, i) => log.appendChild(renderMessage(m, i === messages.length - 1, actions)));
  scrollDown();
}

/** @param {Message} m */
function addMessage(m) {
  conversation.push(m);
  const node = log.appendChild(renderMessage(m, true, actions));
  scrollDown();
  // A long answer is read from its start, not from its last line.
  if (m.role === 'bot') log.scrollTop = Math.min(log.scrollTop, node.offsetTop - 8);
}

/** Suggestions and follow-ups only belong under the latest message. */
function clearChips() {
  const hadFocus = document.activeElement?.classList.contains('chip');
  log.querySelectorAll('.chips').forEach((n) => n.remove());
  if (hadFocus) input.focus();
}

// ---- asking --------------------------------------------------------------------------------
/** @param {boolean} on */
function setBusy(on) {
  busy = on;
  sendBtn.disabled = on;
  form.setAttribute('aria-busy', String(on));
  log.setAttribute('aria-busy', String(on));
}

/** Asks `raw` (ignored while an answer is on its way) and shows the streamed answer. @param {string} raw */
function send(raw) {
  const text = (raw || '').trim();
  if (!text || busy) return;
  setBusy(true);
  clearChips();
  addMessage({ role: 'user', text });
  const pending = typingIndicator(scrollDown);
  log.appendChild(pending.node);
  scrollDown();
  ask({ message: text, conversationId: conversation.conversationId }, pending.append)
    .then((a) => {
      pending.node.remove();
      if (typeof a.conversationId === 'string' && ID_RE.test(a.conversationId))
        conversation.conversationId = a.conversationId;
      const m = cleanMessage({
        role: 'bot',
        text: a.answer,
        citations: a.citations,
        followUps: a.followUps,
        messageId: a.messageId,
        conversationId: a.conversationId,
      });
      if (!m) throw new UserError(NET_ERROR);
      if (a.outcome === 'error') m.kind = 'error';
      addMessage(m);
    })
    .catch((err) => {
      pending.node.remove();
      addMessage({ role: 'bot', kind: 'error', text: err instanceof UserError ? err.message : NET_ERROR });
    })
    .finally(() => setBusy(false));
}

/** @type {Promise<string> | null} */
let contactPromise = null;
function handoff() {
  contactPromise ??= handoffContact();
  contactPromise.then(
    (contact) =>
      addMessage({
        role: 'bot',
        kind: 'info',
        text: contact
          ? 'Để gặp cán bộ hỗ trợ trực tiếp, bạn vui lòng liên hệ: ' + contact
          : 'Bạn vui lòng liên hệ Bộ phận Một cửa nơi nộp hồ sơ để được cán bộ hỗ trợ trực tiếp.',
      }),
    () => {
      contactPromise = null;
      addMessage({ role: 'bot', kind: 'error', text: NET_ERROR });
    },
  );
}

function newConversation() {
  if (busy) return;
  conversation.reset();
  renderAll();
  input.value = '';
  fit();
  input.focus();
}

function closeFrame() {
  if (window.parent !== window) window.parent.postMessage({ type: 'tlcv:close' }, '*');
}

// ---- wiring -------------------------------------------------------------------------------
/** Grows the question box with its text, up to 120 px. */
function fit() {
  input.style.height = 'auto';
  input.style.height = Math.min(input.scrollHeight, 120) + 'px';
}

function submit() {
  if (busy) return;
  const text = input.value;
  if (!text.trim()) return;
  input.value = '';
  fit();
  send(text);
}
form.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});
// Enter sends, Shift+Enter starts a new line (and Enter while composing Vietnamese with an IME is left alone).
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});
input.addEventListener('input', fit);
closeBtn.addEventListener('click', closeFrame);
$('new').addEventListener('click', newConversation);
$('handoff').addEventListener('click', handoff);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' || e.key === 'Esc') closeFrame();
});
// The loader asks for focus each time it shows the frame.
window.addEventListener('message', (e) => {
  if (e.source === window.parent && e.data && e.data.type === 'tlcv:open') input.focus();
});

// Opened on its own (not embedded by the loader) there is nothing to close.
if (window.parent === window) closeBtn.hidden = true;

conversation.load();
renderAll();
input.focus();
if (window.parent !== window) window.parent.postMessage({ type: 'tlcv:ready' }, '*');
