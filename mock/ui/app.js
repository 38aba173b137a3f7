// prm-mock inspector: the request journal, live, in the browser.
//
// Rules this file keeps (the page's Content-Security-Policy enforces some of them):
//  - every value is put into the page as text (textContent, createElement), never as HTML: the
//    journal holds whatever a client sent, and a body string such as "<img onerror=...>" must show
//    as those characters, never run;
//  - nothing is loaded from anywhere but this mock, so the page works offline;
//  - the admin API is called with fetch(), which can send "Authorization: Bearer <token>" (an
//    EventSource cannot), and the event stream is read from fetch()'s body with a small parser.
'use strict';

(() => {
  const MAX_ROWS = 2000;              // the table keeps the newest this many
  const MAX_JSON_NODES = 20000;       // a body larger than this is shown in part
  const TOKEN_KEY = 'prm-mock-admin-token';
  const HISTORY_START = '1970-01-01T00:00:00Z';  // "since" that asks for every entry held
  const STREAM_PATH = '/__admin/requests/stream';
  const REQUESTS_PATH = '/__admin/requests';
  const FIXTURES_PATH = '/__admin/fixtures';
  const POLL_INTERVAL_MS = 1000;      // when the mock has no event stream (an older build, TLS)
  const NO_FIXTURE = ':none';         // a filter value no fixture name or scope label can be

  const byId = (id) => document.getElementById(id);

  // An element with an optional class and text. The one way this file makes content.
  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }

  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---------------------------------------------------------------------------------------------
  // The admin token: asked for after a 401, kept for the browser tab's life in sessionStorage.

  const token = {
    get() {
      try {
        return sessionStorage.getItem(TOKEN_KEY) || '';
      } catch (_) {
        return '';
      }
    },
    set(value) {
      try {
        sessionStorage.setItem(TOKEN_KEY, value);
      } catch (_) {
        // Storage refused (a private window's quota): the token then lasts as long as the page.
      }
      memoryToken = value;
    },
  };
  let memoryToken = '';
  let tokenWaiters = [];

  class Unauthorized extends Error {}

  function currentToken() {
    return token.get() || memoryToken;
  }

  function askForToken() {
    const form = byId('token-form');
    const alreadyShown = !form.hidden;
    form.hidden = false;
    byId('token-problem').textContent = currentToken()
      ? 'The mock refused that token.' : '';
    setConnection('blocked', 'The admin token is needed');
    if (!alreadyShown) byId('token-input').focus();
  }

  // Resolves once the user has entered a token.
  function tokenEntered() {
    return new Promise((resolve) => tokenWaiters.push(resolve));
  }

  function useToken(value) {
    token.set(value);
    byId('token-form').hidden = true;
    byId('token-problem').textContent = '';
    const waiters = tokenWaiters;
    tokenWaiters = [];
    waiters.forEach((resolve) => resolve());
    if (fixturesLoadedOnce || !byId('panel-fixtures').hidden) loadFixtures();
  }

  // fetch() on the admin API with the token, if one was entered. A 401 asks for the token and
  // throws Unauthorized.
  async function adminFetch(path, init = {}) {
    const headers = new Headers(init.headers || {});
    const value = currentToken();
    if (value) headers.set('Authorization', 'Bearer ' + value);
    const response = await fetch(path, {
      ...init, headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error',
    });
    if (response.status === 401) {
      askForToken();
      throw new Unauthorized('the admin API needs its token');
    }
    return response;
  }

  // The mock's JSON error body's code, else the status.
  async function errorCode(response) {
    try {
      const body = await response.json();
      if (body && typeof body.code === 'string') return body.code;
    } catch (_) {
      // not JSON: the status says enough
    }
    return 'HTTP ' + response.status;
  }

  // The mock's JSON error body's code and message, if it has one.
  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && typeof body.code === 'string') {
        return body.code + (typeof body.message === 'string' ? ': ' + body.message : '');
      }
    } catch (_) {
      // not JSON: the status says enough
    }
    return 'HTTP ' + response.status;
  }

  // ---------------------------------------------------------------------------------------------
  // Connection status, notices.

  function setConnection(kind, text) {
    const status = byId('connection');
    status.className = 'connection ' + kind;
    status.textContent = text;
  }

  let droppedTotal = 0;

  function showNotice(text) {
    const notice = byId('notice');
    notice.textContent = text;
    notice.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------
  // The request table.

  // id -> {entry, row, haystack}
  const rows = new Map();
  const seenFixtures = new Set();
  const seenScopes = new Set();
  let selectedId = null;
  let openId = null;

  const two = (n) => String(n).padStart(2, '0');

  function timeOfDay(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso || '');
    return two(date.getHours()) + ':' + two(date.getMinutes()) + ':' + two(date.getSeconds()) +
      '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  function latencyText(micros) {
    if (typeof micros !== 'number') return '';
    if (micros < 1000) return micros + ' µs';
    if (micros < 10000000) return (micros / 1000).toFixed(1) + ' ms';
    return (micros / 1000000).toFixed(1) + ' s';
  }

  function statusClass(status) {
    if (status >= 200 && status < 300) return 'ok';
    if (status >= 400 && status < 500) return 'client';
    if (status >= 500) return 'server';
    return 'other';
  }

  function violationPlace(violation) {
    if (violation.location === 'body' || !violation.location) {
      return violation.pointer === '' || violation.pointer === undefined
        ? '(body)' : violation.pointer;
    }
    return violation.location + (violation.pointer ? ' ' + violation.pointer : '');
  }

  // The error body the mock answered with, when the entry says what it answered.
  function responseError(entry) {
    const body = entry.response && entry.response.body;
    if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.code === 'string') {
      return body;
    }
    return null;
  }

  // One line: the first violation (where, what), else the error code, else what else is known.
  function reasonOf(entry) {
    const violations = Array.isArray(entry.violations) ? entry.violations : [];
    if (violations.length > 0) {
      const first = violations[0];
      const more = violations.length > 1 ? ` (+${violations.length - 1} more)` : '';
      return violationPlace(first) + ' ' + first.message + more;
    }
    const error = responseError(entry);
    if (error) return error.code;
    if (entry.chaos) return 'chaos: ' + (entry.chaosWhat || 'injected');
    const warnings = Array.isArray(entry.warnings) ? entry.warnings : [];
    if (warnings.length > 0) return 'warning: ' + violationPlace(warnings[0]) + ' ' + warnings[0].message;
    return '';
  }

  function bodyText(body) {
    if (body === null || body === undefined) return '';
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  // What the free-text filter searches: path, fixture, violations, body text, error code.
  function haystackOf(entry) {
    const parts = [entry.method, entry.path, entry.query, entry.fixture, entry.scope,
      String(entry.status), bodyText(entry.body)];
    for (const v of [...(entry.violations || []), ...(entry.warnings || [])]) {
      parts.push(v.location, v.pointer, v.keyword, v.message);
    }
    const error = responseError(entry);
    if (error) parts.push(error.code, error.message);
    return parts.filter((part) => typeof part === 'string').join('\n').toLowerCase();
  }

  function makeRow(entry) {
    const row = el('tr', 'row');
    row.dataset.id = entry.id;
    row.tabIndex = -1;
    row.setAttribute('aria-selected', 'false');
    const time = el('td', 'col-time', timeOfDay(entry.receivedAt));
    time.title = String(entry.receivedAt || '');
    const statusCell = el('td', 'col-status');
    const status = typeof entry.status === 'number' ? entry.status : 0;
    statusCell.append(el('span', 'status ' + statusClass(status), status === 0 ? '—' : status));
    const fixture = el('td', 'col-fixture', entry.fixture || '—');
    if (!entry.fixture) fixture.classList.add('muted');
    const latency = el('td', 'col-latency', latencyText(entry.latencyUs));
    const reasonText = reasonOf(entry);
    const reason = el('td', 'col-reason');
    reason.append(el('span', 'path', entry.method + ' ' + entry.path));
    if (reasonText) reason.append(el('span', 'reason', reasonText));
    reason.title = reasonText;
    row.append(time, statusCell, fixture, latency, reason);
    return row;
  }

  function addOption(select, seen, value, label) {
    if (seen.has(value)) return;
    seen.add(value);
    const option = el('option', null, label);
    option.value = value;
    // Sorted after "all" (and "(none)", which sorts first by its value).
    let before = null;
    for (const existing of Array.from(select.options).slice(1)) {
      if (existing.value.localeCompare(value) > 0) {
        before = existing;
        break;
      }
    }
    select.insertBefore(option, before);
  }

  function filters() {
    return {
      status: byId('filter-status').value,
      fixture: byId('filter-fixture').value,
      scope: byId('filter-scope').value,
      text: byId('filter-text').value.trim().toLowerCase(),
    };
  }

  function matches(item, wanted) {
    const entry = item.entry;
    if (wanted.status !== 'all' && String(Math.floor((entry.status || 0) / 100)) !== wanted.status) {
      return false;
    }
    if (wanted.fixture === NO_FIXTURE ? entry.fixture : wanted.fixture && entry.fixture !== wanted.fixture) {
      return false;
    }
    if (wanted.scope === NO_FIXTURE ? entry.scope : wanted.scope && entry.scope !== wanted.scope) {
      return false;
    }
    return !wanted.text || item.haystack.includes(wanted.text);
  }

  // New entries, oldest first (as the journal lists and streams them): newest end up on top.
  function addEntries(entries) {
    const fresh = entries.filter((entry) => entry && typeof entry.id === 'string' && !rows.has(entry.id));
    if (fresh.length === 0) return;
    const kept = fresh.slice(-MAX_ROWS);
    const wanted = filters();
    const fragment = document.createDocumentFragment();
    for (let i = kept.length - 1; i >= 0; --i) {
      const entry = kept[i];
      const item = {entry, row: makeRow(entry), haystack: haystackOf(entry)};
      item.row.hidden = !matches(item, wanted);
      rows.set(entry.id, item);
      fragment.append(item.row);
      if (entry.fixture) addOption(byId('filter-fixture'), seenFixtures, entry.fixture, entry.fixture);
      else addOption(byId('filter-fixture'), seenFixtures, NO_FIXTURE, '(none)');
      if (entry.scope) addOption(byId('filter-scope'), seenScopes, entry.scope, entry.scope);
      else addOption(byId('filter-scope'), seenScopes, NO_FIXTURE, '(none)');
    }
    const tbody = byId('request-rows');
    tbody.prepend(fragment);
    while (rows.size > MAX_ROWS) {
      const oldest = tbody.lastElementChild;
      rows.delete(oldest.dataset.id);
      oldest.remove();
      if (oldest.dataset.id === selectedId) selectedId = null;
    }
    refreshTableState();
  }

  function clearTable() {
    byId('request-rows').replaceChildren();
    rows.clear();
    selectedId = null;
    closeDetail(false);
    refreshTableState();
  }

  function applyFilters() {
    const wanted = filters();
    for (const item of rows.values()) item.row.hidden = !matches(item, wanted);
    refreshTableState();
  }

  function visibleRows() {
    return Array.from(byId('request-rows').children).filter((row) => !row.hidden);
  }

  // The count, the empty message, and which row Tab reaches (the selected one, else the first).
  function refreshTableState() {
    const visible = visibleRows();
    byId('empty').hidden = visible.length > 0;
    byId('empty').textContent = rows.size === 0
      ? 'No requests yet. Publish to this mock and they appear here as they arrive.'
      : 'No request matches the filters.';
    byId('row-count').textContent = visible.length === rows.size
      ? `${rows.size} request${rows.size === 1 ? '' : 's'}`
      : `${visible.length} of ${rows.size} requests`;
    const selected = selectedId && rows.get(selectedId);
    const tabStop = selected && !selected.row.hidden ? selected.row : visible[0];
    for (const row of byId('request-rows').querySelectorAll('tr[tabindex="0"]')) {
      if (row !== tabStop) row.tabIndex = -1;
    }
    if (tabStop) tabStop.tabIndex = 0;
  }

  function select(id, {focus = false, open = false} = {}) {
    const item = rows.get(id);
    if (!item) return;
    if (selectedId && rows.has(selectedId)) {
      const previous = rows.get(selectedId).row;
      previous.setAttribute('aria-selected', 'false');
      previous.classList.remove('selected');
    }
    selectedId = id;
    item.row.setAttribute('aria-selected', 'true');
    item.row.classList.add('selected');
    refreshTableState();
    if (focus) item.row.focus();
    if (open || openId !== null) openDetail(id);
  }

  // From the row that has the focus (Tab reaches a row before any is selected), else the selected.
  function moveSelection(from, step, toEnd) {
    const visible = visibleRows();
    if (visible.length === 0) return;
    const currentId = from ? from.dataset.id : selectedId;
    const current = visible.findIndex((row) => row.dataset.id === currentId);
    let next;
    if (toEnd) next = step < 0 ? 0 : visible.length - 1;
    else if (current < 0) next = 0;
    else next = Math.min(visible.length - 1, Math.max(0, current + step));
    select(visible[next].dataset.id, {focus: true});
    visible[next].scrollIntoView({block: 'nearest'});
  }

  function onTableKey(event) {
    const row = event.target.closest('tr.row');
    if (!row) return;
    switch (event.key) {
      case 'ArrowDown': moveSelection(row, 1); break;
      case 'ArrowUp': moveSelection(row, -1); break;
      case 'Home': moveSelection(row, -1, true); break;
      case 'End': moveSelection(row, 1, true); break;
      case 'Enter':
      case ' ':
        select(row.dataset.id, {focus: true, open: true});
        break;
      default: return;
    }
    event.preventDefault();
  }

  // ---------------------------------------------------------------------------------------------
  // JSON as DOM nodes, each knowing its JSON Pointer, with violations shown at their pointers.

  const pointerToken = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

  function pointerTokens(pointer) {
    if (pointer === '') return [];
    return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  }

  // The longest prefix of `pointer` that exists in `document` (a missing `required` property is
  // shown at the object that lacks it).
  function nearestExisting(document, pointer) {
    let value = document;
    let found = '';
    for (const key of pointerTokens(pointer)) {
      if (value === null || typeof value !== 'object') break;
      const has = Array.isArray(value)
        ? /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < value.length
        : Object.prototype.hasOwnProperty.call(value, key);
      if (!has) break;
      value = value[key];
      found += '/' + pointerToken(key);
    }
    return found;
  }

  // pointer -> [{kind, violation, exact}] for the body's violations and warnings.
  function marksFor(entry, body) {
    const marks = new Map();
    const add = (list, kind) => {
      for (const violation of Array.isArray(list) ? list : []) {
        if (violation.location && violation.location !== 'body') continue;
        const pointer = typeof violation.pointer === 'string' ? violation.pointer : '';
        const at = nearestExisting(body, pointer);
        if (!marks.has(at)) marks.set(at, []);
        marks.get(at).push({kind, violation, exact: at === pointer});
      }
    };
    add(entry.violations, 'violation');
    add(entry.warnings, 'warning');
    return marks;
  }

  function jsonScalarClass(value) {
    if (value === null) return 'json-null';
    return 'json-' + typeof value;  // string, number, boolean
  }

  function renderJson(value, marks = new Map()) {
    const root = el('div', 'json');
    let budget = MAX_JSON_NODES;

    const annotate = (node, line, pointer) => {
      const here = marks.get(pointer);
      if (!here) return;
      node.classList.add('marked');
      line.classList.add(here.some((m) => m.kind === 'violation') ? 'mark-violation' : 'mark-warning');
      for (const mark of here) {
        const note = el('div', 'json-note ' + mark.kind);
        note.setAttribute('role', 'note');
        note.dataset.pointer = mark.violation.pointer || '';
        const where = mark.violation.pointer || '(body)';
        note.append(el('span', 'note-kind', mark.kind === 'violation' ? 'violation' : 'warning'));
        note.append(el('code', 'note-pointer', where));
        if (!mark.exact) note.append(el('span', 'note-missing', '(not in the body)'));
        note.append(el('span', 'note-message',
          (mark.violation.keyword ? mark.violation.keyword + ': ' : '') + mark.violation.message));
        line.after(note);
      }
    };

    const render = (item, pointer, key, last) => {
      const node = el('div', 'json-node');
      node.dataset.pointer = pointer;
      const line = el('div', 'json-line');
      node.append(line);
      if (key !== null) {
        line.append(el('span', 'json-key', JSON.stringify(key)), el('span', 'json-punct', ': '));
      }
      const comma = last ? '' : ',';
      if (item === null || typeof item !== 'object') {
        line.append(el('span', jsonScalarClass(item), JSON.stringify(item)));
        if (comma) line.append(el('span', 'json-punct', comma));
        annotate(node, line, pointer);
        return node;
      }
      const isArray = Array.isArray(item);
      const keys = isArray ? item.map((_, i) => i) : Object.keys(item);
      const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
      if (keys.length === 0) {
        line.append(el('span', 'json-punct', open + close + comma));
        annotate(node, line, pointer);
        return node;
      }
      line.append(el('span', 'json-punct', open));
      const children = el('div', 'json-children');
      keys.forEach((k, i) => {
        if (budget <= 0) return;
        budget -= 1;
        children.append(render(item[k], pointer + '/' + pointerToken(k), isArray ? null : k,
          i === keys.length - 1));
        if (budget <= 0) children.append(el('div', 'json-more', '… the rest is not shown'));
      });
      node.append(children);
      const end = el('div', 'json-line');
      end.append(el('span', 'json-punct', close + comma));
      node.append(end);
      annotate(node, line, pointer);
      return node;
    };

    root.append(render(value, '', null, true));
    return root;
  }

  // A body as the journal gives it: parsed JSON, else the raw text, else null (none).
  function renderBody(body, truncated, marks) {
    const box = el('div', 'body-box');
    if (body === null || body === undefined) {
      box.append(el('p', 'muted', '(no body)'));
    } else if (typeof body === 'string') {
      box.append(el('pre', 'raw-body', body));
    } else {
      box.append(renderJson(body, marks));
    }
    if (truncated) box.append(el('p', 'muted', 'The journal kept only the start of this body.'));
    return box;
  }

  function headerTable(headers, label) {
    const names = headers && typeof headers === 'object' ? Object.keys(headers) : [];
    if (names.length === 0) return el('p', 'muted', '(no headers)');
    const table = el('table', 'headers');
    table.setAttribute('aria-label', label);
    const tbody = el('tbody');
    for (const name of names) {
      const row = el('tr');
      const th = el('th', null, name);
      th.scope = 'row';
      row.append(th, el('td', null, headers[name]));
      tbody.append(row);
    }
    table.append(tbody);
    return table;
  }

  function section(title, ...content) {
    const part = el('section', 'detail-section');
    part.append(el('h3', null, title), ...content);
    return part;
  }

  function violationList(list, kind) {
    const ul = el('ul', 'violation-list ' + kind);
    for (const violation of list) {
      const li = el('li');
      li.append(el('code', 'note-pointer', violationPlace(violation)));
      if (violation.keyword) li.append(el('span', 'keyword', violation.keyword));
      li.append(el('span', null, violation.message));
      ul.append(li);
    }
    return ul;
  }

  function facts(pairs) {
    const dl = el('dl', 'facts');
    for (const [term, value] of pairs) {
      if (value === undefined || value === null || value === '') continue;
      dl.append(el('dt', null, term), el('dd', null, value));
    }
    return dl;
  }

  function requestLine(entry) {
    return entry.method + ' ' + entry.path + (entry.query ? '?' + entry.query : '');
  }

  function renderDetail(entry) {
    const body = byId('detail-body');
    byId('detail-title').textContent = requestLine(entry);
    body.replaceChildren();
    byId('detail').dataset.id = entry.id;

    const error = responseError(entry);
    body.append(facts([
      ['Status', entry.status === 0 ? 'no response' : String(entry.status) + (error ? ' ' + error.code : '')],
      ['Fixture', entry.fixture || 'none answered'],
      ['Received', entry.receivedAt],
      ['Latency', latencyText(entry.latencyUs)],
      ['Delay', entry.delayMs ? entry.delayMs + ' ms' : ''],
      ['Chaos', entry.chaos ? String(entry.chaosWhat || 'injected') : ''],
      ['Scope', entry.scope],
      ['Request id', entry.id],
    ]));

    const violations = Array.isArray(entry.violations) ? entry.violations : [];
    const warnings = Array.isArray(entry.warnings) ? entry.warnings : [];
    if (violations.length > 0) {
      body.append(section(`Violations (${violations.length})`, violationList(violations, 'violation')));
    }
    if (warnings.length > 0) {
      body.append(section(`Warnings (${warnings.length})`, violationList(warnings, 'warning')));
    }

    body.append(section('Request headers', headerTable(entry.headers, 'Request headers')));
    const requestBody = entry.body === undefined ? null : entry.body;
    body.append(section('Request body',
      renderBody(requestBody, entry.bodyTruncated, marksFor(entry, requestBody))));

    const response = entry.response;
    if (response && typeof response === 'object') {
      body.append(section('Response sent',
        facts([['Status', response.status === 0 ? 'none' : String(response.status)]]),
        headerTable(response.headers, 'Response headers'),
        renderBody(response.body, response.bodyTruncated, new Map())));
    } else if (response === null) {
      body.append(section('Response sent',
        el('p', 'muted', 'None: the connection was closed or reset without an answer.')));
    } else {
      body.append(section('Response sent',
        el('p', 'muted', 'This mock does not record the responses it sends.')));
    }

    if (!entry.fixture) {
      const holder = el('div', 'near-misses', 'Looking for fixtures that nearly matched…');
      body.append(section('Near misses', holder));
      loadNearMisses(entry.id, holder);
    }
  }

  async function loadNearMisses(id, holder) {
    let text = null;
    let list = [];
    try {
      const response = await adminFetch(REQUESTS_PATH + '/' + encodeURIComponent(id));
      if (response.ok) {
        const answer = await response.json();
        list = Array.isArray(answer.nearMisses) ? answer.nearMisses : [];
        if (list.length === 0) text = 'No fixture came close.';
      } else {
        text = 'Not available: ' + await errorText(response);
      }
    } catch (error) {
      text = error instanceof Unauthorized ? 'Not available without the admin token.'
        : 'Not available: ' + error.message;
    }
    if (openId !== id) return;  // another request is shown by now
    holder.replaceChildren();
    if (text) {
      holder.append(el('p', 'muted', text));
      return;
    }
    const ul = el('ul', 'near-miss-list');
    for (const miss of list) {
      const li = el('li');
      const head = el('div', 'near-miss-head');
      head.append(el('strong', null, miss.fixture));
      if (miss.file) head.append(el('span', 'muted', ' ' + miss.file));
      li.append(head);
      const failed = el('ul', 'failed');
      for (const condition of Array.isArray(miss.failed) ? miss.failed : []) {
        failed.append(el('li', null, condition));
      }
      li.append(failed);
      ul.append(li);
    }
    holder.append(ul);
  }

  function openDetail(id) {
    const item = rows.get(id);
    if (!item) return;
    openId = id;
    byId('detail').hidden = false;
    byId('split').classList.add('with-detail');
    renderDetail(item.entry);
    if (window.matchMedia('(max-width: 760px)').matches) {
      byId('detail').scrollIntoView({block: 'start'});
    }
  }

  function closeDetail(refocus = true) {
    if (openId === null) return;
    openId = null;
    byId('detail').hidden = true;
    byId('split').classList.remove('with-detail');
    byId('detail-body').replaceChildren();
    const selected = selectedId && rows.get(selectedId);
    if (refocus && selected) selected.row.focus();
  }

  // ---------------------------------------------------------------------------------------------
  // The event stream: "GET /__admin/requests/stream" read through fetch().

  // Feeds text chunks in, calls onEvent({event, data, id}) per event. Follows the
  // text/event-stream format: lines end in CRLF, LF or CR; ":" starts a comment; a blank line
  // ends an event; "retry" sets the reconnection delay.
  class EventStreamParser {
    constructor(onEvent, onRetry) {
      this.onEvent = onEvent;
      this.onRetry = onRetry;
      this.buffer = '';
      this.reset();
    }

    reset() {
      this.event = '';
      this.data = [];
      this.id = null;
    }

    push(text) {
      this.buffer += text;
      let start = 0;
      for (;;) {
        const match = /\r\n|\n|\r/g;
        match.lastIndex = start;
        const found = match.exec(this.buffer);
        // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
        if (!found || (found[0] === '\r' && found.index === this.buffer.length - 1)) break;
        this.line(this.buffer.slice(start, found.index));
        start = found.index + found[0].length;
      }
      this.buffer = this.buffer.slice(start);
    }

    line(text) {
      if (text === '') {
        if (this.data.length > 0) {
          this.onEvent({event: this.event || 'message', data: this.data.join('\n'), id: this.id});
        }
        this.reset();
        return;
      }
      if (text.startsWith(':')) return;
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      let value = colon < 0 ? '' : text.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.id = value;
      else if (field === 'retry' && /^[0-9]+$/.test(value)) this.onRetry(Number(value));
    }
  }

  let lastEventId = null;
  let retryMs = 2000;

  function onStreamEvent(message, batch) {
    if (message.id !== null) lastEventId = message.id;
    if (message.event === 'request') {
      try {
        batch.push(JSON.parse(message.data));
      } catch (_) {
        // Not JSON: nothing to show. The next event still comes.
      }
    } else if (message.event === 'dropped') {
      flush(batch);
      let count = 0;
      try {
        count = Number(JSON.parse(message.data).dropped) || 0;
      } catch (_) {
        count = 0;
      }
      droppedTotal += count;
      showNotice(`This page fell behind: ${droppedTotal} request${droppedTotal === 1 ? ' was' : 's were'}` +
        ' skipped. Newer ones keep arriving; GET /__admin/requests lists every request held.');
    } else if (message.event === 'cleared') {
      batch.length = 0;
      clearTable();
      showNotice('The journal was cleared at ' + timeOfDay(new Date().toISOString()) + '.');
    }
  }

  function flush(batch) {
    if (batch.length === 0) return;
    addEntries(batch.splice(0));
  }

  // Reads one response's events until it ends. Entries parsed from one chunk go in together.
  async function readEvents(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const batch = [];
    const parser = new EventStreamParser((message) => onStreamEvent(message, batch),
      (ms) => { retryMs = ms; });
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      parser.push(value);
      flush(batch);
    }
  }

  function isEventStream(response) {
    return (response.headers.get('Content-Type') || '').startsWith('text/event-stream');
  }

  async function follow() {
    for (;;) {
      const headers = {Accept: 'text/event-stream'};
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      setConnection('connecting', lastEventId === null ? 'Connecting…' : 'Reconnecting…');
      let response;
      try {
        response = await adminFetch(STREAM_PATH + '?since=' + encodeURIComponent(HISTORY_START), {headers});
      } catch (error) {
        if (error instanceof Unauthorized) {
          await tokenEntered();
          continue;
        }
        setConnection('down', `The mock is not answering; trying again in ${Math.round(retryMs / 1000)} s`);
        await delay(retryMs);
        continue;
      }
      // No event stream on this mock (an older build, or HTTPS): ask for the journal each second.
      if (response.status === 404 || response.status === 405 || response.status === 501 ||
          (response.ok && !isEventStream(response))) {
        const why = response.ok ? '' : ' (no event stream here: ' + await errorCode(response) + ')';
        return poll(why);
      }
      if (!response.ok) {
        setConnection('down', (await errorText(response)) + `; trying again in ${Math.round(retryMs / 1000)} s`);
        await delay(retryMs);
        continue;
      }
      setConnection('live', 'Live');
      try {
        await readEvents(response);
      } catch (_) {
        // The connection dropped mid-stream; reconnect below with Last-Event-ID.
      }
      setConnection('down', `Connection lost; reconnecting in ${Math.round(retryMs / 1000)} s`);
      await delay(retryMs);
    }
  }

  async function poll(why) {
    let lastId = null;
    for (;;) {
      const since = lastId === null ? HISTORY_START : lastId;
      try {
        const response = await adminFetch(REQUESTS_PATH + '?since=' + encodeURIComponent(since));
        if (response.status === 400 && lastId !== null) {
          // The last entry seen has left the journal: it was cleared (or the oldest entries were
          // dropped past it). Start over from what the journal holds now.
          lastId = null;
          clearTable();
          continue;
        }
        if (!response.ok) throw new Error(await errorText(response));
        const listing = await response.json();
        const entries = Array.isArray(listing.requests) ? listing.requests : [];
        addEntries(entries);
        if (entries.length > 0) lastId = entries[entries.length - 1].id;
        setConnection('polling', 'Polling every second' + why);
      } catch (error) {
        if (error instanceof Unauthorized) {
          await tokenEntered();
          continue;
        }
        setConnection('down', 'The mock is not answering: ' + error.message);
      }
      await delay(POLL_INTERVAL_MS);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures in force.

  let fixturesLoadedOnce = false;

  function fixtureStatusText(fixture) {
    let text = String(fixture.status);
    if (fixture.fault) text += ' ' + fixture.fault;
    if (typeof fixture.steps === 'number' && fixture.steps > 1) text += ` (1st of ${fixture.steps} steps)`;
    return text;
  }

  async function loadFixtures() {
    const status = byId('fixtures-status');
    status.textContent = 'Loading…';
    let list;
    try {
      const response = await adminFetch(FIXTURES_PATH);
      if (!response.ok) throw new Error(await errorText(response));
      const answer = await response.json();
      list = Array.isArray(answer.fixtures) ? answer.fixtures : [];
    } catch (error) {
      status.textContent = error instanceof Unauthorized ? 'The admin token is needed.'
        : 'Could not load the fixtures: ' + error.message;
      return;
    }
    fixturesLoadedOnce = true;
    const tbody = byId('fixture-rows');
    tbody.replaceChildren();
    for (const fixture of list) {
      const row = el('tr');
      row.dataset.name = fixture.name;
      const name = el('th', null, fixture.name);
      name.scope = 'row';
      const hits = typeof fixture.hits === 'number' ? fixture.hits : null;
      const hitsCell = el('td', 'num hits', hits === null ? '—' : hits);
      if (hits === null) hitsCell.title = 'This mock does not count hits';
      else if (hits > 0) row.classList.add('hit');
      row.append(name, el('td', 'file', fixture.file), el('td', null, fixtureStatusText(fixture)),
        el('td', 'num', fixture.conditions), el('td', 'num', fixture.priority), hitsCell);
      tbody.append(row);
    }
    status.textContent = `${list.length} fixture${list.length === 1 ? '' : 's'}, ` +
      'in the order they are tried; updated ' + timeOfDay(new Date().toISOString());
  }

  // ---------------------------------------------------------------------------------------------
  // Tabs.

  const tabs = () => Array.from(document.querySelectorAll('[role="tab"]'));

  function showTab(tab, focus) {
    for (const other of tabs()) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      byId(other.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
    if (tab.id === 'tab-fixtures') loadFixtures();
  }

  function onTabKey(event) {
    const list = tabs();
    const index = list.indexOf(event.target);
    if (index < 0) return;
    let next = null;
    if (event.key === 'ArrowRight') next = list[(index + 1) % list.length];
    else if (event.key === 'ArrowLeft') next = list[(index - 1 + list.length) % list.length];
    else if (event.key === 'Home') next = list[0];
    else if (event.key === 'End') next = list[list.length - 1];
    if (!next) return;
    event.preventDefault();
    showTab(next, true);
  }

  // ---------------------------------------------------------------------------------------------

  function start() {
    for (const tab of tabs()) tab.addEventListener('click', () => showTab(tab, false));
    document.querySelector('[role="tablist"]').addEventListener('keydown', onTabKey);

    const table = byId('requests');
    table.addEventListener('keydown', onTableKey);
    table.addEventListener('click', (event) => {
      const row = event.target.closest('tr.row');
      if (row) select(row.dataset.id, {focus: true, open: true});
    });
    byId('detail-close').addEventListener('click', () => closeDetail(true));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && openId !== null) {
        event.preventDefault();
        closeDetail(true);
      }
    });

    byId('filters').addEventListener('submit', (event) => event.preventDefault());
    for (const id of ['filter-status', 'filter-fixture', 'filter-scope']) {
      byId(id).addEventListener('change', applyFilters);
    }
    byId('filter-text').addEventListener('input', applyFilters);

    byId('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = byId('token-input').value.trim();
      if (value) useToken(value);
    });
    byId('fixtures-refresh').addEventListener('click', loadFixtures);

    refreshTableState();
    follow();
  }

  start();
})();
