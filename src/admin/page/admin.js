/* Trợ lý Công vụ: the administration page (/admin). Served with a strict CSP (script-src 'self'),
 * so no inline script or handlers. Every piece of server or stored text (document titles, file
 * names, questions, comments) is put in the page with textContent / createElement only: a title
 * containing markup shows as text. An officer signs in with an account (an HttpOnly session cookie
 * the script never sees; every change carries X-Requested-With against CSRF), or with the admin
 * token, kept in sessionStorage only. Actions the officer's role may not do are not shown. */
/* global window, document, location, history, sessionStorage, fetch, XMLHttpRequest, FormData, URLSearchParams, TextDecoderStream, AbortController, setTimeout, clearTimeout, confirm, CSS, URL */
(function () {
  'use strict';

  var TOKEN_KEY = 'tlcv-admin-token';
  var API = '/admin/api';
  var POLL_MS = 500;
  var MAX_FILES = 20;

  var WRONG_TOKEN = 'Mã quản trị không đúng.';
  var SESSION_ENDED = 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.';
  var NET_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';
  var AFTER_REINDEX = 'Thay đổi có hiệu lực sau khi lập chỉ mục lại.';
  var CONFLICT = 'Đang có một lần lập chỉ mục khác chạy';

  var STATUS = {
    con_hieu_luc: 'Còn hiệu lực',
    het_hieu_luc_mot_phan: 'Hết hiệu lực một phần',
    het_hieu_luc_toan_bo: 'Hết hiệu lực toàn bộ',
    chua_co_hieu_luc: 'Chưa có hiệu lực',
  };
  var STATUS_TONE = {
    con_hieu_luc: 'ok',
    het_hieu_luc_mot_phan: 'warn',
    het_hieu_luc_toan_bo: 'bad',
    chua_co_hieu_luc: 'muted',
  };
  var AUDIENCE = { public: 'Công khai', internal: 'Nội bộ' };
  var KIND = { legal: 'Văn bản pháp luật', procedure: 'Thủ tục hành chính', article: 'Bài viết' };
  var PHASE = {
    starting: 'Chuẩn bị',
    reading: 'Đọc tệp',
    ocr: 'Nhận dạng chữ bản quét (OCR), trang',
    lexical: 'Chỉ mục từ',
    restorer: 'Mô hình dấu',
    embedding: 'Nhúng vector',
    publishing: 'Xuất bản',
    loading: 'Nạp bản mới',
    done: 'Hoàn tất',
  };
  var UPLOAD_STATUS = {
    stored: ['Đã lưu', 'ok'],
    replaced: ['Đã thay thế tệp cùng tên', 'ok'],
    duplicate: ['Trùng với tệp đã tải lên', 'warn'],
    failed: ['Không nhận', 'bad'],
  };
  var RATING = { up: ['Hữu ích', 'ok'], down: ['Chưa hữu ích', 'bad'] };
  var CHANNEL = { web: 'Web', api: 'API', zalo: 'Zalo', teams: 'Teams' };
  var ACTION = {
    upload: 'Tải lên',
    edit: 'Sửa thông tin',
    delete: 'Xóa',
    reindex: 'Lập chỉ mục lại',
    reindex_full: 'Xây dựng lại toàn bộ',
    activate_snapshot: 'Khôi phục bản chỉ mục',
    login: 'Đăng nhập',
    login_sso: 'Đăng nhập một lần (SSO)',
    logout: 'Đăng xuất',
    export: 'Xuất tệp CSV',
    purge: 'Xóa dữ liệu cá nhân quá hạn',
  };

  // ---- small helpers ------------------------------------------------------------------------
  function $(id) {
    return document.getElementById(id);
  }

  /** createElement with text and attributes only (never HTML). */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'className') node.className = v;
        else if (k === 'onClick') node.addEventListener('click', v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.append(c); // a string is appended as a Text node
    });
    return node;
  }

  function badge(text, tone) {
    return el('span', { className: 'badge ' + (tone || 'muted'), text: text });
  }

  /** "2024-07-01" → "01/07/2024". */
  function vnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : iso || '';
  }

  /** An ISO instant in local time, Vietnamese style. */
  function vnTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso || '');
    return d.toLocaleString('vi-VN', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  function cut(text, max) {
    var s = String(text || '');
    return s.length > max ? s.slice(0, max - 1) + '…' : s;
  }

  /** Lower case without diacritics, for the quick search. */
  function fold(s) {
    return String(s || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase();
  }

  function emptyRow(columns, text) {
    return el('tr', null, [el('td', { className: 'empty', colspan: columns, text: text })]);
  }

  function setRows(table, rows, columns, emptyText) {
    var body = table.tBodies[0];
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      frag.append(r);
    });
    if (rows.length === 0) frag.append(emptyRow(columns, emptyText));
    body.replaceChildren(frag);
  }

  // ---- status messages (one aria-live region) -------------------------------------------------
  function notify(text, tone) {
    var n = $('notice');
    n.className = 'notice' + (tone === 'error' ? ' error-notice' : tone === 'ok' ? ' ok-notice' : '');
    n.textContent = text;
  }

  // ---- API -----------------------------------------------------------------------------------
  var token = '';
  try {
    token = sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    token = '';
  }

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  function errorText(status, data) {
    if (data && typeof data.message === 'string' && data.message) return data.message;
    return 'Máy chủ báo lỗi (HTTP ' + status + ').';
  }

  /** The officer signed in ({ username, roleLabel, via, permissions }), or null. */
  var officer = null;

  function may(permission) {
    return !!officer && officer.permissions.indexOf(permission) >= 0;
  }

  /** Credentials of a request: the token, or the session cookie plus the anti-CSRF header. */
  function authHeaders(headers) {
    if (token) headers.Authorization = 'Bearer ' + token;
    else headers['X-Requested-With'] = 'XMLHttpRequest';
    return headers;
  }

  /** JSON request with the token or the session; a 401 signs out. Resolves to { status, ok, data }. */
  function api(method, path, body) {
    var headers = authHeaders({ Accept: 'application/json' });
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: token ? 'omit' : 'same-origin',
    }).then(
      function (res) {
        return res.json().then(
          function (data) {
            return done(res.status, data);
          },
          function () {
            return done(res.status, null);
          },
        );
      },
      function () {
        throw new ApiError(0, NET_ERROR);
      },
    );
    function done(status, data) {
      if (status === 401) {
        var why = token ? WRONG_TOKEN : SESSION_ENDED;
        unauthorized(why);
        throw new ApiError(401, why);
      }
      return { status: status, ok: status >= 200 && status < 300, data: data };
    }
  }

  /** Like api(), but a non-2xx answer is an ApiError. */
  function request(method, path, body) {
    return api(method, path, body).then(function (r) {
      if (!r.ok) throw new ApiError(r.status, errorText(r.status, r.data));
      return r;
    });
  }

  /** Shows an error unless it was a 401 (already handled by signing out). */
  function fail(err) {
    if (err && err.status === 401) return;
    notify(err && err.message ? err.message : NET_ERROR, 'error');
  }

  // ---- signing in and out --------------------------------------------------------------------
  /** The sign-in form; an error about the token shows under the token form, any other under the account form. */
  function showLogin(error) {
    $('app').hidden = true;
    $('signout').hidden = true;
    $('whoami').hidden = true;
    $('login').hidden = false;
    var aboutToken = error === WRONG_TOKEN;
    $('login-error').textContent = aboutToken ? error : '';
    $('account-error').textContent = aboutToken ? '' : error || '';
    $('token').value = '';
    $('password').value = '';
    if (aboutToken) {
      $('token-login').open = true;
      $('token').focus();
    } else $('username').focus();
  }

  function forget() {
    token = '';
    officer = null;
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage unavailable */
    }
    stopWatching();
    // Nothing read with the token stays on screen.
    ['doc-table', 'snapshot-table', 'gap-table', 'feedback-table', 'audit-table'].forEach(function (id) {
      $(id).tBodies[0].replaceChildren();
    });
    docs = [];
    $('doc-summary').textContent = '';
    $('snapshot-summary').textContent = '';
    $('upload-results').replaceChildren();
    $('upload-message').textContent = '';
    ['upload-job', 'reindex-job'].forEach(function (id) {
      $(id).replaceChildren();
      $(id).hidden = true;
    });
    $('pending').hidden = true;
    var dialog = $('edit-dialog');
    if (dialog.open) dialog.close();
  }

  function unauthorized(why) {
    var wasIn = token !== '' || officer !== null;
    forget();
    notify('');
    showLogin(wasIn ? why : '');
  }

  /** Shows or hides what needs a permission (tabs, buttons marked data-needs). */
  function applyPermissions() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-needs]'), function (node) {
      node.hidden = !may(node.getAttribute('data-needs'));
    });
  }

  /** Enters the page as `me` (GET /admin/api/me). */
  function enterApp(me) {
    officer = me;
    $('whoami').textContent = (me.via === 'token' ? 'Mã quản trị' : me.username) + ' · ' + me.roleLabel;
    $('whoami').hidden = false;
    applyPermissions();
    $('login').hidden = true;
    $('login-error').textContent = '';
    $('account-error').textContent = '';
    $('app').hidden = false;
    $('signout').hidden = false;
    var fromHash = location.hash.replace(/^#/, '');
    var allowed = visibleTabs().map(function (t) {
      return t.dataset.tab;
    });
    selectTab(allowed.indexOf(fromHash) >= 0 ? fromHash : 'documents', false);
    $('main').focus();
  }

  $('account-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var username = $('username').value.trim();
    var password = $('password').value;
    if (!username || !password) {
      $('account-error').textContent = 'Hãy nhập tên đăng nhập và mật khẩu.';
      $(username ? 'password' : 'username').focus();
      return;
    }
    $('account-submit').disabled = true;
    $('account-error').textContent = '';
    fetch(API + '/login', {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
      },
      body: JSON.stringify({ username: username, password: password }),
      cache: 'no-store',
      credentials: 'same-origin',
    })
      .then(
        function (res) {
          return res.json().then(
            function (data) {
              return { status: res.status, data: data };
            },
            function () {
              return { status: res.status, data: null };
            },
          );
        },
        function () {
          throw new ApiError(0, NET_ERROR);
        },
      )
      .then(function (r) {
        if (r.status !== 200) {
          $('password').value = '';
          $('account-error').textContent = errorText(r.status, r.data);
          $('password').focus();
          return;
        }
        token = '';
        $('password').value = '';
        notify('Đã đăng nhập.', 'ok');
        enterApp(r.data);
      })
      .catch(function (err) {
        $('account-error').textContent = err && err.message ? err.message : NET_ERROR;
      })
      .finally(function () {
        $('account-submit').disabled = false;
      });
  });

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var value = $('token').value.trim();
    if (!value) {
      $('login-error').textContent = 'Hãy nhập mã quản trị.';
      $('token').focus();
      return;
    }
    token = value;
    $('login-submit').disabled = true;
    $('login-error').textContent = '';
    api('GET', '/me')
      .then(function (r) {
        if (!r.ok) throw new ApiError(r.status, errorText(r.status, r.data));
        try {
          sessionStorage.setItem(TOKEN_KEY, token);
        } catch {
          /* storage unavailable: signed in for this page only */
        }
        notify('Đã đăng nhập.', 'ok');
        enterApp(r.data);
      })
      .catch(function (err) {
        if (err && err.status === 401) {
          showLogin(WRONG_TOKEN);
          return;
        }
        token = '';
        $('login-error').textContent = err && err.message ? err.message : NET_ERROR;
      })
      .finally(function () {
        $('login-submit').disabled = false;
      });
  });

  $('signout').addEventListener('click', function () {
    var session = officer && officer.via === 'session';
    forget();
    showLogin('');
    notify('Đã đăng xuất.');
    // The server ends the session and clears the cookie; the page is signed out either way.
    if (session) {
      fetch(API + '/logout', {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
        credentials: 'same-origin',
        cache: 'no-store',
      }).catch(function () {});
    }
  });

  // ---- tabs ----------------------------------------------------------------------------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  var loaders = {
    documents: function () {
      loadDocuments();
    },
    snapshots: function () {
      loadSnapshots();
    },
    gaps: function () {
      loadGaps();
    },
    feedback: function () {
      loadFeedback();
    },
    audit: function () {
      loadAudit();
    },
  };
  var currentTab = 'documents';

  function selectTab(name, focus) {
    currentTab = name;
    tabs.forEach(function (t) {
      var on = t.dataset.tab === name;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      $('panel-' + t.dataset.tab).hidden = !on;
      if (on && focus) t.focus();
    });
    if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
    if (loaders[name]) loaders[name]();
  }

  /** The tabs the officer's role may open. */
  function visibleTabs() {
    return tabs.filter(function (t) {
      return !t.hidden;
    });
  }

  tabs.forEach(function (t) {
    t.addEventListener('click', function () {
      selectTab(t.dataset.tab, false);
    });
    t.addEventListener('keydown', function (e) {
      var shown = visibleTabs();
      var i = shown.indexOf(t);
      var next = null;
      if (e.key === 'ArrowRight') next = (i + 1) % shown.length;
      else if (e.key === 'ArrowLeft') next = (i - 1 + shown.length) % shown.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = shown.length - 1;
      if (next === null) return;
      e.preventDefault();
      selectTab(shown[next].dataset.tab, true);
    });
  });

  // ---- pending changes (edits wait for a re-index) ----------------------------------------------
  function showPending(on) {
    $('pending').hidden = !on;
  }
  $('pending-reindex').addEventListener('click', function () {
    selectTab('reindex', true);
    startReindex(false);
  });

  // ---- Văn bản -------------------------------------------------------------------------------
  var docs = [];
  var docSnapshot = '';
  var docSeq = 0;

  /** The document as it will be after the next re-index (its recorded edit applied). */
  function effective(d) {
    var out = {};
    Object.keys(d).forEach(function (k) {
      out[k] = d[k];
    });
    var p = d.pendingEdit || {};
    Object.keys(p).forEach(function (k) {
      out[k] = p[k];
    });
    return out;
  }

  /** Labels of the recorded edits the serving index does not show yet. */
  function pendingOf(d) {
    var p = d.pendingEdit;
    if (!p) return [];
    var out = [];
    if (p.deleted) out.push('xóa');
    if (p.status && p.status !== d.status) out.push('hiệu lực → ' + (STATUS[p.status] || p.status));
    if (p.audience && p.audience !== d.audience)
      out.push('đối tượng → ' + (AUDIENCE[p.audience] || p.audience));
    if (p.effectiveDate && p.effectiveDate !== d.effectiveDate)
      out.push('có hiệu lực từ ' + vnDate(p.effectiveDate));
    if (p.expiryDate && p.expiryDate !== d.expiryDate) out.push('hết hiệu lực từ ' + vnDate(p.expiryDate));
    if (p.replaces && p.replaces.join(',') !== (d.replaces || []).join(','))
      out.push('thay thế: ' + (p.replaces.join(', ') || '(không)'));
    return out;
  }

  function loadDocuments() {
    var seq = ++docSeq;
    var q = new URLSearchParams();
    ['kind', 'status', 'audience'].forEach(function (k) {
      var v = $('filter-' + k).value;
      if (v) q.set(k, v);
    });
    var table = $('doc-table');
    table.setAttribute('aria-busy', 'true');
    $('doc-summary').textContent = 'Đang tải danh sách văn bản…';
    var qs = q.toString();
    return request('GET', '/documents' + (qs ? '?' + qs : ''))
      .then(function (r) {
        if (seq !== docSeq) return;
        docs = r.data.documents || [];
        docSnapshot = r.data.snapshot || '';
        renderDocuments();
      })
      .catch(function (err) {
        if (seq !== docSeq) return;
        $('doc-summary').textContent = '';
        fail(err);
      })
      .finally(function () {
        if (seq === docSeq) table.removeAttribute('aria-busy');
      });
  }

  function renderDocuments() {
    var needle = fold($('filter-text').value.trim());
    var shown = needle
      ? docs.filter(function (d) {
          return fold(d.title + ' ' + (d.number || '') + ' ' + d.id).indexOf(needle) >= 0;
        })
      : docs;
    setRows($('doc-table'), shown.map(docRow), 8, 'Không có văn bản nào phù hợp.');
    $('doc-summary').textContent =
      'Hiển thị ' +
      shown.length +
      ' / ' +
      docs.length +
      ' văn bản' +
      (docSnapshot ? ' · bản chỉ mục đang phục vụ: ' + docSnapshot : '');
    if (
      docs.some(function (d) {
        return pendingOf(d).length > 0;
      })
    )
      showPending(true);
  }

  function docRow(d) {
    var pending = pendingOf(d);
    var titleCell = el('td', { className: 'title' }, [el('span', { className: 'doc-title', text: d.title })]);
    if (d.uploaded) titleCell.append(' ', badge('Tải lên', 'info'));
    if (d.scannedPages && d.scannedPages.length) titleCell.append(' ', badge('Bản quét (OCR)', 'info'));
    if (d.unnumbered) titleCell.append(' ', badge('Chưa có số', 'warn'));
    if (d.annexOf) titleCell.append(el('span', { className: 'sub', text: 'Phụ lục của ' + d.annexOf }));
    if (d.lowConfidencePages && d.lowConfidencePages.length) {
      var doubtful = d.lowConfidencePages
        .map(function (p) {
          return 'trang ' + p.page + ' (' + p.confidence + '%)';
        })
        .join(', ');
      titleCell.append(
        ' ',
        badge('Cần kiểm tra OCR', 'warn'),
        el('span', { className: 'sub', text: 'Nhận dạng chữ kém tin cậy: ' + doubtful }),
      );
    }
    if (pending.length) {
      var tag = badge(d.pendingEdit && d.pendingEdit.deleted ? 'Chờ xóa' : 'Chờ lập chỉ mục', 'warn');
      tag.setAttribute('title', 'Sau khi lập chỉ mục lại: ' + pending.join('; '));
      titleCell.append(
        ' ',
        tag,
        el('span', { className: 'sub', text: 'Sau khi lập chỉ mục lại: ' + pending.join('; ') }),
      );
    }

    var statusCell = el('td', null, [badge(STATUS[d.status] || d.status, STATUS_TONE[d.status])]);
    if (d.effectiveDate)
      statusCell.append(el('span', { className: 'sub', text: 'Có hiệu lực từ ' + vnDate(d.effectiveDate) }));
    if (d.expiryDate)
      statusCell.append(el('span', { className: 'sub', text: 'Hết hiệu lực từ ' + vnDate(d.expiryDate) }));
    if (d.replaces && d.replaces.length)
      statusCell.append(el('span', { className: 'sub', text: 'Thay thế: ' + d.replaces.join(', ') }));

    var typeCell = el('td', { className: 'type' }, [d.docType || KIND[d.kind] || d.kind]);
    if (d.docType && d.docType !== KIND[d.kind])
      typeCell.append(el('span', { className: 'sub', text: KIND[d.kind] || d.kind }));

    var label = '“' + cut(d.title, 80) + '”';
    var edit = el('button', {
      type: 'button',
      className: 'secondary small',
      'data-action': 'edit',
      'data-id': d.id,
      'aria-label': 'Sửa ' + label,
      text: 'Sửa',
    });
    edit.addEventListener('click', function () {
      openEdit(d);
    });
    var del = el('button', {
      type: 'button',
      className: 'danger small',
      'data-action': 'delete',
      'data-id': d.id,
      'aria-label': 'Xóa ' + label,
      text: 'Xóa',
    });
    del.addEventListener('click', function () {
      deleteDocument(d);
    });

    return el('tr', { 'data-id': d.id }, [
      titleCell,
      el('td', { text: d.number || d.id }),
      typeCell,
      statusCell,
      el('td', { text: AUDIENCE[d.audience] || d.audience }),
      el('td', { className: 'num', text: d.chunks }),
      // An uploaded file is shown by its name (its folder is the server's); the full path on hover.
      el('td', {
        className: 'source',
        title: d.source,
        text: d.uploaded ? d.source.split(/[\\/]/).pop() : d.source,
      }),
      el('td', { className: 'ops' }, may('documents:write') ? [edit, del] : []),
    ]);
  }

  ['kind', 'status', 'audience'].forEach(function (k) {
    $('filter-' + k).addEventListener('change', function () {
      loadDocuments();
    });
  });
  $('filter-text').addEventListener('input', function () {
    renderDocuments();
  });
  $('doc-filters').addEventListener('submit', function (e) {
    e.preventDefault();
    loadDocuments();
  });

  function focusDocButton(id, action) {
    var b = document.querySelector(
      '#doc-table button[data-action="' + action + '"][data-id="' + CSS.escape(id) + '"]',
    );
    if (b) b.focus();
  }

  // Edit dialog
  var editing = null;

  function openEdit(d) {
    var cur = effective(d);
    editing = { doc: d, cur: cur };
    $('edit-doc').textContent = d.title + ' (' + (d.number || d.id) + ')';
    $('edit-status').value = cur.status;
    $('edit-audience').value = cur.audience;
    $('edit-effective').value = cur.effectiveDate || '';
    $('edit-expiry').value = cur.expiryDate || '';
    $('edit-replaces').value = (cur.replaces || []).join(', ');
    $('edit-error').textContent = '';
    $('edit-save').disabled = false;
    $('edit-dialog').showModal();
    $('edit-status').focus();
  }

  function splitList(s) {
    return s
      .split(/[,;\n]/)
      .map(function (x) {
        return x.trim();
      })
      .filter(Boolean);
  }

  $('edit-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!editing) return;
    var d = editing.doc;
    var cur = editing.cur;
    var patch = {};
    var status = $('edit-status').value;
    var audience = $('edit-audience').value;
    var eff = $('edit-effective').value;
    var exp = $('edit-expiry').value;
    var replaces = splitList($('edit-replaces').value);
    if (status !== cur.status) patch.status = status;
    if (audience !== cur.audience) patch.audience = audience;
    if ((!eff && cur.effectiveDate) || (!exp && cur.expiryDate)) {
      $('edit-error').textContent = 'Chưa thể xóa một ngày đã đặt; hãy nhập ngày mới.';
      return;
    }
    if (eff && eff !== cur.effectiveDate) patch.effectiveDate = eff;
    if (exp && exp !== cur.expiryDate) patch.expiryDate = exp;
    if (eff && exp && exp < eff) {
      $('edit-error').textContent = 'Ngày hết hiệu lực phải sau ngày có hiệu lực.';
      return;
    }
    if (replaces.join(',') !== (cur.replaces || []).join(',')) patch.replaces = replaces;
    if (Object.keys(patch).length === 0) {
      $('edit-dialog').close();
      notify('Không có thay đổi nào.');
      return;
    }
    $('edit-save').disabled = true;
    request('PATCH', '/documents/' + encodeURIComponent(d.id), patch)
      .then(function () {
        editing = null;
        $('edit-dialog').close();
        notify('Đã lưu thay đổi cho “' + d.title + '”. ' + AFTER_REINDEX, 'ok');
        showPending(true);
        return loadDocuments().then(function () {
          focusDocButton(d.id, 'edit');
        });
      })
      .catch(function (err) {
        if (err && err.status === 401) return;
        $('edit-error').textContent = err && err.message ? err.message : NET_ERROR;
      })
      .finally(function () {
        $('edit-save').disabled = false;
      });
  });

  $('edit-cancel').addEventListener('click', function () {
    $('edit-dialog').close();
  });
  $('edit-dialog').addEventListener('close', function () {
    if (editing) focusDocButton(editing.doc.id, 'edit');
    editing = null;
  });

  function deleteDocument(d) {
    var what = d.uploaded ? 'Tệp đã tải lên chứa văn bản này sẽ bị xóa.' : 'Văn bản sẽ bị loại khỏi chỉ mục.';
    if (!confirm('Xóa “' + d.title + '” (' + (d.number || d.id) + ')?\n' + what + '\n' + AFTER_REINDEX))
      return;
    request('DELETE', '/documents/' + encodeURIComponent(d.id))
      .then(function () {
        notify('Đã xóa “' + d.title + '”. ' + AFTER_REINDEX, 'ok');
        showPending(true);
        return loadDocuments();
      })
      .catch(fail);
  }

  // ---- Tải lên -------------------------------------------------------------------------------
  var uploading = false;

  function renderUploadResults(results) {
    var list = $('upload-results');
    list.replaceChildren();
    results.forEach(function (r) {
      var st = UPLOAD_STATUS[r.status] || [r.status, 'muted'];
      var li = el('li', { 'data-status': r.status }, [
        el('span', { className: 'file', text: r.name }),
        badge(st[0], st[1]),
      ]);
      if (r.reason) li.append(el('span', { className: 'reason', text: 'Lý do: ' + r.reason }));
      if (r.documents && r.documents.length) {
        li.append(
          el(
            'ul',
            { 'aria-label': 'Văn bản tìm thấy trong ' + r.name },
            r.documents.map(function (doc) {
              return el('li', null, [
                el('span', { className: 'doc-title', text: doc.title }),
                ' · ' + (KIND[doc.kind] || doc.kind) + ' · ' + doc.chunks + ' đoạn',
              ]);
            }),
          ),
        );
      }
      list.append(li);
    });
  }

  $('upload-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (uploading) return;
    var input = $('upload-files');
    var files = input.files;
    if (!files || files.length === 0) {
      notify('Hãy chọn ít nhất một tệp.', 'error');
      input.focus();
      return;
    }
    if (files.length > MAX_FILES) {
      notify('Mỗi lần tải lên tối đa ' + MAX_FILES + ' tệp.', 'error');
      input.focus();
      return;
    }
    var form = new FormData();
    [
      ['audience', 'upload-audience'],
      ['status', 'upload-status'],
      ['effectiveDate', 'upload-effective'],
      ['expiryDate', 'upload-expiry'],
      ['replaces', 'upload-replaces'],
    ].forEach(function (f) {
      var v = $(f[1]).value.trim();
      if (v) form.append(f[0], v);
    });
    Array.prototype.forEach.call(files, function (f) {
      form.append('file', f, f.name);
    });
    var reindexNow = $('upload-reindex').checked;

    var box = $('upload-progress-box');
    var bar = $('upload-progress');
    var label = $('upload-progress-label');
    box.hidden = false;
    bar.value = 0;
    label.textContent = 'Đang tải lên ' + files.length + ' tệp… 0%';
    $('upload-results').replaceChildren();
    $('upload-message').textContent = '';
    uploading = true;
    $('upload-submit').disabled = true;
    notify('Đang tải lên ' + files.length + ' tệp…');

    var xhr = new XMLHttpRequest();
    xhr.open('POST', API + '/documents' + (reindexNow ? '?reindex=1' : ''));
    var h = authHeaders({});
    Object.keys(h).forEach(function (k) {
      xhr.setRequestHeader(k, h[k]);
    });
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round((ev.loaded / ev.total) * 100);
      bar.value = pct;
      label.textContent = 'Đang tải lên ' + files.length + ' tệp… ' + pct + '%';
    };
    xhr.upload.onload = function () {
      bar.value = 100;
      label.textContent = 'Đã gửi xong; máy chủ đang kiểm tra tệp…';
    };
    var finish = function () {
      uploading = false;
      $('upload-submit').disabled = false;
    };
    xhr.onerror = function () {
      finish();
      box.hidden = true;
      notify(NET_ERROR, 'error');
    };
    xhr.onload = function () {
      finish();
      var data = xhr.response;
      if (xhr.status === 401) {
        unauthorized(token ? WRONG_TOKEN : SESSION_ENDED);
        return;
      }
      bar.value = 100;
      label.textContent = 'Tải lên xong.';
      if (data && Array.isArray(data.results)) {
        renderUploadResults(data.results);
        $('upload-message').textContent = data.message || '';
        var stored = data.results.filter(function (r) {
          return r.status === 'stored' || r.status === 'replaced';
        }).length;
        var failed = data.results.filter(function (r) {
          return r.status === 'failed';
        }).length;
        var summary =
          'Tải lên: ' +
          stored +
          ' tệp được lưu' +
          (failed ? ', ' + failed + ' tệp không nhận' : '') +
          '. ' +
          (data.message || '');
        notify(summary, failed && !stored ? 'error' : 'ok');
        if (stored) input.value = '';
        if (data.job) watchJob(data.job, true);
        else if (stored) showPending(true);
        return;
      }
      if (xhr.status === 409) {
        // The files were stored, but another re-index was running.
        notify(
          'Đã lưu tệp, nhưng ' +
            CONFLICT.charAt(0).toLowerCase() +
            CONFLICT.slice(1) +
            '. Hãy lập chỉ mục lại khi lần đó xong.',
          'error',
        );
        input.value = '';
        showPending(true);
        return;
      }
      notify('Không tải lên được: ' + errorText(xhr.status, data), 'error');
    };
    xhr.send(form);
  });

  // ---- Lập chỉ mục (jobs) --------------------------------------------------------------------
  var watcher = null; // { ctrl, job, boxes }

  function stopWatching() {
    if (watcher) watcher.ctrl.abort();
    watcher = null;
    setReindexBusy(false);
  }

  function setReindexBusy(busy) {
    $('reindex-incremental').disabled = busy;
    $('reindex-full').disabled = busy;
    $('pending-reindex').disabled = busy;
  }

  function renderJob(box, job) {
    box.hidden = false;
    box.setAttribute('data-state', job.state);
    box.setAttribute('data-job', job.id);
    var phase = PHASE[job.phase] || job.phase || '';
    var barId = box.id + '-bar';
    var title = el('h3', {
      text:
        (job.kind === 'full' ? 'Xây dựng lại toàn bộ' : 'Lập chỉ mục lại') +
        ' · bắt đầu ' +
        vnTime(job.startedAt),
    });
    var stateText =
      job.state === 'running' ? 'Đang chạy: ' + phase : job.state === 'succeeded' ? 'Hoàn tất' : 'Thất bại';
    var count = job.state === 'running' && job.total > 0 ? ' (' + job.done + '/' + job.total + ')' : '';
    var stateLine = el('p', { className: 'phase', 'data-phase': job.phase, text: stateText + count });
    var bar = el('progress', { id: barId, max: job.total > 0 ? job.total : 1 });
    if (job.state !== 'running') bar.value = bar.max;
    else if (job.total > 0) bar.value = Math.min(job.done, job.total);
    // else: indeterminate (no value) while the phase has no count yet
    var barLabel = el('label', { for: barId, className: 'visually-hidden', text: 'Tiến độ lập chỉ mục' });
    var parts = [
      title,
      stateLine,
      barLabel,
      bar,
      el('p', { className: 'file-now', text: job.state === 'running' && job.file ? job.file : '' }),
    ];

    if (job.state === 'failed')
      parts.push(el('p', { className: 'error', text: 'Lỗi: ' + (job.error || 'không rõ') }));
    var rep = job.report;
    if (rep) {
      var report = el('div', { className: 'report' });
      report.append(
        el('ul', { className: 'counts', 'aria-label': 'Kết quả theo tệp' }, [
          el('li', { text: 'Thêm mới: ' + rep.added.length }),
          el('li', { text: 'Cập nhật: ' + rep.updated.length }),
          el('li', { text: 'Không đổi: ' + rep.unchanged.length }),
          el('li', { text: 'Lỗi: ' + rep.failed.length }),
          el('li', { text: 'Bỏ qua: ' + (rep.skipped || []).length }),
        ]),
      );
      report.append(
        el('p', {
          text: rep.snapshotId
            ? 'Bản chỉ mục mới ' +
              rep.snapshotId +
              ': ' +
              rep.documents +
              ' văn bản, ' +
              rep.chunks +
              ' đoạn (' +
              (rep.buildMs / 1000).toFixed(1) +
              ' giây).'
            : 'Không có thay đổi nào; giữ nguyên bản chỉ mục đang phục vụ.',
        }),
      );
      fileList(report, 'Các tệp lỗi:', 'failed-files', rep.failed, function (f) {
        return [
          el('code', { text: f.path }),
          ': ' + (f.reason || f.message) + (f.code ? ' (' + f.code + ')' : ''),
        ];
      });
      fileList(report, 'Các tệp bỏ qua:', 'skipped-files', rep.skipped || [], function (f) {
        return [el('code', { text: f.path }), ': ' + f.reason];
      });
      fileList(report, 'Cần kiểm tra:', 'warning-files', rep.warnings || [], function (w) {
        return [w.message];
      });
      parts.push(report);
    }
    box.replaceChildren.apply(box, parts);
  }

  /** Appends a titled list of files (failed, skipped, warnings) to a job report when there are any. */
  function fileList(report, title, className, items, render) {
    if (!items.length) return;
    report.append(
      el('p', { text: title }),
      el(
        'ul',
        { className: className },
        items.map(function (item) {
          return el('li', null, render(item));
        }),
      ),
    );
  }

  function sleep(ms, signal) {
    return new Promise(function (resolve) {
      var t = setTimeout(resolve, ms);
      signal.addEventListener('abort', function () {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Shows a job's progress (in the re-index panel, and the upload panel when it came from there) until it ends. */
  function watchJob(job, fromUpload) {
    if (watcher) watcher.ctrl.abort();
    var boxes = [$('reindex-job')];
    if (fromUpload) boxes.push($('upload-job'));
    else {
      $('upload-job').hidden = true;
    }
    var w = { ctrl: new AbortController(), job: job, boxes: boxes, ended: false };
    watcher = w;
    setReindexBusy(true);
    var update = function (j) {
      if (w.ctrl.signal.aborted && w !== watcher) return;
      w.job = j;
      boxes.forEach(function (b) {
        renderJob(b, j);
      });
      if (j.state !== 'running' && !w.ended) {
        w.ended = true;
        jobEnded(j);
      }
    };
    if (job.state !== 'running') {
      // Already over (e.g. the job named by a 409): show it without announcing its end again.
      w.ended = true;
      update(job);
      setReindexBusy(false);
      return;
    }
    update(job);
    followEvents(w, update)
      .catch(function () {
        /* fall back to polling below */
      })
      .then(function () {
        if (!w.ended && !w.ctrl.signal.aborted) return poll(w, update);
      })
      .catch(function (err) {
        if (!w.ctrl.signal.aborted) fail(err);
      });
  }

  /** Reads the job's Server-Sent Events with fetch (EventSource cannot send the token). */
  function followEvents(w, update) {
    return fetch(API + '/reindex/' + encodeURIComponent(w.job.id) + '/events', {
      headers: authHeaders({ Accept: 'text/event-stream' }),
      cache: 'no-store',
      credentials: token ? 'omit' : 'same-origin',
      signal: w.ctrl.signal,
    }).then(function (res) {
      if (res.status === 401) {
        unauthorized(token ? WRONG_TOKEN : SESSION_ENDED);
        return;
      }
      if (!res.ok || !res.body || typeof TextDecoderStream === 'undefined')
        throw new Error('no event stream');
      var reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      var buf = '';
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buf += chunk.value.replace(/\r\n/g, '\n');
          var i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            var block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            var data = block
              .split('\n')
              .filter(function (l) {
                return l.indexOf('data:') === 0;
              })
              .map(function (l) {
                return l.slice(5).replace(/^ /, '');
              })
              .join('\n');
            if (!data) continue;
            var j;
            try {
              j = JSON.parse(data);
            } catch {
              continue;
            }
            update(j);
            if (j.state !== 'running') {
              reader.cancel().catch(function () {});
              return;
            }
          }
          return pump();
        });
      };
      return pump();
    });
  }

  /** Polls the job every 500 ms (when the event stream is unavailable or was cut). */
  function poll(w, update) {
    var step = function () {
      if (w.ended || w.ctrl.signal.aborted) return;
      return request('GET', '/reindex/' + encodeURIComponent(w.job.id)).then(function (r) {
        update(r.data.job);
        if (w.ended) return;
        return sleep(POLL_MS, w.ctrl.signal).then(step);
      });
    };
    return step();
  }

  function jobEnded(job) {
    setReindexBusy(false);
    if (job.state === 'succeeded') {
      var rep = job.report || {};
      var failed = rep.failed ? rep.failed.length : 0;
      notify(
        (rep.snapshotId
          ? 'Lập chỉ mục xong: bản ' + rep.snapshotId + ' đang phục vụ.'
          : 'Lập chỉ mục xong: không có thay đổi nào.') +
          (failed ? ' ' + failed + ' tệp lỗi, xem chi tiết trong mục Lập chỉ mục.' : ''),
        failed ? 'error' : 'ok',
      );
      showPending(false);
    } else {
      notify(
        'Lập chỉ mục thất bại: ' +
          (job.error || 'không rõ lỗi') +
          '. Bản chỉ mục đang phục vụ không thay đổi.',
        'error',
      );
    }
    if (loaders[currentTab]) loaders[currentTab]();
  }

  function startReindex(full) {
    setReindexBusy(true);
    return api('POST', '/reindex', { full: full })
      .then(function (r) {
        if (r.status === 202 && r.data && r.data.job) {
          notify(full ? 'Đã bắt đầu xây dựng lại toàn bộ.' : 'Đã bắt đầu lập chỉ mục lại.');
          watchJob(r.data.job, false);
          return;
        }
        if (r.status === 409) {
          notify(CONFLICT + '; đang hiển thị tiến độ của lần đó.', 'error');
          if (r.data && r.data.jobId) {
            return request('GET', '/reindex/' + encodeURIComponent(r.data.jobId)).then(function (j) {
              watchJob(j.data.job, false);
            });
          }
          setReindexBusy(false);
          return;
        }
        setReindexBusy(false);
        notify('Không bắt đầu được: ' + errorText(r.status, r.data), 'error');
      })
      .catch(function (err) {
        setReindexBusy(false);
        fail(err);
      });
  }

  $('reindex-incremental').addEventListener('click', function () {
    startReindex(false);
  });
  $('reindex-full').addEventListener('click', function () {
    startReindex(true);
  });

  // ---- Bản chỉ mục ---------------------------------------------------------------------------
  var snapSeq = 0;
  function loadSnapshots() {
    var seq = ++snapSeq;
    var table = $('snapshot-table');
    table.setAttribute('aria-busy', 'true');
    return request('GET', '/snapshots')
      .then(function (r) {
        if (seq !== snapSeq) return;
        var serving = r.data.serving;
        var list = (r.data.snapshots || []).slice().sort(function (a, b) {
          return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
        });
        $('snapshot-summary').textContent =
          list.length + ' bản chỉ mục' + (serving ? ' · đang phục vụ: ' + serving : '');
        setRows(
          table,
          list.map(function (s) {
            var isServing = s.id === serving;
            var state = el('td');
            if (isServing) state.append(badge('Đang phục vụ', 'ok'));
            else if (s.active) state.append(badge('Được chọn', 'info'));
            else state.append(badge('Lưu trữ', 'muted'));
            var ops = el('td', { className: 'ops' });
            if (!isServing && may('snapshots:activate')) {
              var b = el('button', {
                type: 'button',
                className: 'secondary small',
                'data-snapshot': s.id,
                'aria-label': 'Khôi phục bản ' + s.id,
                text: 'Khôi phục',
              });
              b.addEventListener('click', function () {
                activateSnapshot(s);
              });
              ops.append(b);
            }
            var c = s.counts || {};
            return el('tr', { 'data-snapshot': s.id, 'data-serving': isServing ? 'true' : 'false' }, [
              el('td', null, [el('code', { text: s.id })]),
              el('td', { text: vnTime(s.createdAt) }),
              el('td', { className: 'num', text: c.sources != null ? c.sources : '' }),
              el('td', { className: 'num', text: c.documents != null ? c.documents : '' }),
              el('td', { className: 'num', text: c.chunks != null ? c.chunks : '' }),
              state,
              ops,
            ]);
          }),
          7,
          'Chưa có bản chỉ mục nào.',
        );
      })
      .catch(function (err) {
        if (seq === snapSeq) fail(err);
      })
      .finally(function () {
        if (seq === snapSeq) table.removeAttribute('aria-busy');
      });
  }

  function activateSnapshot(s) {
    if (
      !confirm(
        'Khôi phục bản chỉ mục ' +
          s.id +
          ' (tạo lúc ' +
          vnTime(s.createdAt) +
          ')?\nTrợ lý sẽ trả lời theo bản này ngay lập tức.',
      )
    )
      return;
    api('POST', '/snapshots/' + encodeURIComponent(s.id) + '/activate')
      .then(function (r) {
        if (r.ok) {
          notify((r.data && r.data.message) || 'Đang phục vụ bản chỉ mục ' + s.id + '.', 'ok');
        } else if (r.status === 409) {
          notify(CONFLICT + '; hãy khôi phục sau khi lần đó xong.', 'error');
        } else {
          notify('Không khôi phục được: ' + errorText(r.status, r.data), 'error');
        }
        return loadSnapshots();
      })
      .catch(fail);
  }

  // ---- Câu hỏi chưa trả lời ------------------------------------------------------------------
  function loadGaps() {
    var table = $('gap-table');
    table.setAttribute('aria-busy', 'true');
    return request('GET', '/gaps?limit=200')
      .then(function (r) {
        setRows(
          table,
          (r.data.gaps || []).map(function (g) {
            return el('tr', null, [
              el('td', { className: 'long', text: g.example }),
              el('td', { className: 'num', text: g.count }),
              el('td', { text: vnTime(g.lastAskedAt) }),
              el('td', {
                text: (g.channels || [])
                  .map(function (c) {
                    return CHANNEL[c] || c;
                  })
                  .join(', '),
              }),
            ]);
          }),
          4,
          'Chưa có câu hỏi nào chưa được trả lời.',
        );
      })
      .catch(fail)
      .finally(function () {
        table.removeAttribute('aria-busy');
      });
  }
  $('gaps-refresh').addEventListener('click', function () {
    loadGaps();
  });

  // ---- Góp ý ---------------------------------------------------------------------------------
  function loadFeedback() {
    var table = $('feedback-table');
    var rating = $('feedback-rating').value;
    table.setAttribute('aria-busy', 'true');
    return request('GET', '/feedback?limit=200' + (rating ? '&rating=' + encodeURIComponent(rating) : ''))
      .then(function (r) {
        setRows(
          table,
          (r.data.feedback || []).map(function (f) {
            var rt = RATING[f.rating] || [f.rating, 'muted'];
            var answer = el('td', { className: 'long', text: cut(f.answer || '', 300) });
            if (f.answer && f.answer.length > 300) answer.setAttribute('title', f.answer);
            return el('tr', null, [
              el('td', { text: vnTime(f.createdAt) }),
              el('td', null, [badge(rt[0], rt[1])]),
              el('td', { className: 'long', text: f.question || '' }),
              answer,
              el('td', { className: 'long', text: f.comment || '' }),
            ]);
          }),
          5,
          'Chưa có góp ý nào.',
        );
      })
      .catch(fail)
      .finally(function () {
        table.removeAttribute('aria-busy');
      });
  }
  $('feedback-rating').addEventListener('change', function () {
    loadFeedback();
  });
  $('feedback-filters').addEventListener('submit', function (e) {
    e.preventDefault();
    loadFeedback();
  });

  // ---- Nhật ký -------------------------------------------------------------------------------
  function loadAudit() {
    var table = $('audit-table');
    table.setAttribute('aria-busy', 'true');
    return request('GET', '/audit?limit=200')
      .then(function (r) {
        setRows(
          table,
          (r.data.audit || []).map(function (a) {
            return el('tr', null, [
              el('td', { text: vnTime(a.createdAt) }),
              el('td', { text: a.actor }),
              el('td', { text: ACTION[a.action] || a.action }),
              el('td', { className: 'source', text: a.target || '' }),
              el('td', null, [a.result === 'ok' ? badge('Thành công', 'ok') : badge('Lỗi', 'bad')]),
              el('td', { className: 'long', text: cut(a.detail || '', 300) }),
            ]);
          }),
          6,
          'Nhật ký trống.',
        );
      })
      .catch(fail)
      .finally(function () {
        table.removeAttribute('aria-busy');
      });
  }
  $('audit-refresh').addEventListener('click', function () {
    loadAudit();
  });

  // ---- start ---------------------------------------------------------------------------------
  // ---- CSV exports (administrators and readers) -----------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll('[data-export]'), function (button) {
    button.addEventListener('click', function () {
      var name = button.getAttribute('data-export');
      button.disabled = true;
      fetch(API + '/export/' + name + '.csv', {
        headers: authHeaders({}),
        credentials: token ? 'omit' : 'same-origin',
        cache: 'no-store',
      })
        .then(function (res) {
          if (res.status === 401) {
            unauthorized(token ? WRONG_TOKEN : SESSION_ENDED);
            throw new ApiError(401, '');
          }
          if (!res.ok) throw new ApiError(res.status, 'Máy chủ báo lỗi (HTTP ' + res.status + ').');
          var m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
          return res.blob().then(function (blob) {
            var a = el('a', { href: URL.createObjectURL(blob), download: m ? m[1] : name + '.csv' });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(function () {
              URL.revokeObjectURL(a.href);
            }, 10000);
            notify('Đã tải tệp ' + (m ? m[1] : name + '.csv') + '.', 'ok');
          });
        })
        .catch(fail)
        .finally(function () {
          button.disabled = false;
        });
    });
  });

  // ---- start ---------------------------------------------------------------------------------
  // Back from single sign-on that did not succeed: /admin?sso=forbidden|failed.
  var SSO_ERRORS = {
    forbidden:
      'Tài khoản này chưa được cấp quyền sử dụng trang quản trị qua đăng nhập một lần. Vui lòng liên hệ quản trị viên.',
    failed: 'Đăng nhập một lần (SSO) không thành công, vui lòng thử lại.',
  };
  var ssoError = SSO_ERRORS[new URLSearchParams(location.search).get('sso') || ''] || '';
  if (location.search) history.replaceState(null, '', location.pathname + location.hash);
  fetch(API + '/auth-options', { cache: 'no-store', credentials: 'omit' })
    .then(function (res) {
      return res.ok ? res.json() : null;
    })
    .then(function (o) {
      $('sso-box').hidden = !(o && o.sso);
    })
    .catch(function () {});

  // A token from earlier in this tab, or a session cookie: check it is still valid before showing data.
  api('GET', '/me')
    .then(function (r) {
      if (r.ok) enterApp(r.data);
      else showLogin(token ? errorText(r.status, r.data) : ssoError);
    })
    .catch(function (err) {
      if (err && err.status === 401) {
        if (ssoError) $('account-error').textContent = ssoError;
        return;
      }
      showLogin(err && err.message ? err.message : NET_ERROR);
    });
  window.addEventListener('pagehide', function () {
    if (watcher) watcher.ctrl.abort();
  });
})();
