// The admin dashboard: reads the admin API with the bearer token the operator types in (kept in
// sessionStorage, sent only as an Authorization header) and follows GET /api/v1/events, a
// server-sent-event stream read with fetch because EventSource cannot send headers.

const API = '/api/v1';
const TOKEN_KEY = 'sip-b2bua.admin-token';
const RECONNECT_MS = 3000;

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  /** callId → call as the API and the events show it */
  calls: new Map(),
  /** calls the events reported while GET /calls was under way: they win over its answer */
  callsDuringLoad: undefined,
  /** ids of calls that ended lately, so a list fetched before their end cannot bring them back */
  ended: new Set(),
  registrations: [],
  trunks: [],
  bans: [],
  recent: [],
  recentOff: false,
  recentPath: '/calls/recent',
  /** the trunk service actions the server offers (from its OpenAPI document), or undefined */
  trunkActions: undefined,
  stream: undefined,
};

class Unauthorized extends Error {}

async function api(path, init = {}) {
  const res = await fetch(`${API}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${state.token}` }, cache: 'no-store' });
  if (res.status === 401) throw new Unauthorized('the token was refused');
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
  if (!res.ok) {
    const err = new Error(body?.error?.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

// ---- rendering -----------------------------------------------------------------------------

function cell(row, label, value, className) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (value instanceof Node) td.append(value);
  else td.textContent = value ?? '';
  if (className) td.className = className;
  row.append(td);
  return td;
}

function button(text, onClick, danger = false) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (danger) b.className = 'danger';
  b.addEventListener('click', async () => {
    b.disabled = true;
    $('action-error').textContent = '';
    try {
      await onClick();
    } catch (err) {
      if (err instanceof Unauthorized) return signOut(err.message);
      $('action-error').textContent = `${text}: ${err.message}`;
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

function fill(tableId, rows, build) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    build(tr, r);
    return tr;
  }));
  $(`${tableId}-empty`).hidden = rows.length > 0;
  const count = $(`${tableId}-count`);
  if (count) count.textContent = String(rows.length);
}

function seconds(fromIso, toMs = Date.now()) {
  if (!fromIso) return '';
  const s = Math.max(0, Math.round((toMs - Date.parse(fromIso)) / 1000));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
const party = (c) => (c.callerExtension && c.callerExtension !== c.caller ? `${c.caller} (${c.callerExtension})` : c.caller);

function renderCalls() {
  const calls = [...state.calls.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  fill('calls', calls, (tr, c) => {
    tr.dataset.callId = c.callId;
    cell(tr, 'Caller', party(c));
    cell(tr, 'Dialled', c.dialled);
    cell(tr, 'Tenant', c.tenant);
    cell(tr, 'State', c.state, `state-${c.state}`);
    cell(tr, 'Duration', duration(c), 'num duration');
    cell(tr, '', c.state === 'answered'
      ? button('Hang up', () => api(`/calls/${encodeURIComponent(c.callId)}`, { method: 'DELETE' }), true)
      : '');
  });
}

const duration = (c) => (c.answeredAt ? seconds(c.answeredAt) : `ringing ${seconds(c.startedAt)}`);

/** Moves the duration counters in place (re-rendering would swallow a click on Hang up). */
function tickCalls() {
  for (const tr of $('calls').tBodies[0].rows) {
    const c = state.calls.get(tr.dataset.callId);
    const td = tr.querySelector('.duration');
    if (c && td) td.textContent = duration(c);
  }
}

function renderRegistrations() {
  const now = Date.now();
  const rows = state.registrations.flatMap((d) => d.contacts
    .filter((c) => c.expiresAtHere > now)
    .map((c) => ({ ...d, contact: c })));
  fill('registrations', rows, (tr, r) => {
    tr.dataset.deviceUser = r.deviceUser;
    cell(tr, 'Device', r.deviceUser);
    cell(tr, 'Extension', r.extension);
    cell(tr, 'Tenant', r.tenant);
    cell(tr, 'Source', `${r.contact.source.transport} ${r.contact.source.address}:${r.contact.source.port}`);
    cell(tr, 'User agent', r.contact.userAgent);
    cell(tr, 'Expires in', seconds(new Date(now).toISOString(), r.contact.expiresAtHere), 'num expires');
  });
}

const outOfService = (t) => t.inService === false || t.health === 'out-of-service';

function renderTrunks() {
  fill('trunks', state.trunks, (tr, t) => {
    tr.dataset.trunk = t.trunk;
    cell(tr, 'Trunk', t.trunk);
    cell(tr, 'Tenant', t.tenant);
    cell(tr, 'Health', outOfService(t) ? `${t.health}, out of service` : t.health, `health-${t.health}`);
    cell(tr, 'Calls', t.limit?.max !== undefined ? `${t.activeCalls} (${t.limit.active}/${t.limit.max})` : String(t.activeCalls), 'num');
    cell(tr, 'Registration', t.registration ? t.registration.state : '', t.registration ? `reg-${t.registration.state}` : '');
    const actions = state.trunkActions;
    if (actions === undefined) cell(tr, '', '');
    else if (outOfService(t)) cell(tr, '', button('Back in service', () => trunkAction(actions.inService, t)));
    else cell(tr, '', button('Out of service', () => trunkAction(actions.outOfService, t), true));
  });
}

function renderBans() {
  fill('bans', state.bans, (tr, b) => {
    cell(tr, 'Address', b.address);
    cell(tr, 'Failures', String(b.failures), 'num');
    cell(tr, 'Until', time(b.until));
    cell(tr, '', button('Lift', () => api(`/bans/${encodeURIComponent(b.address)}`, { method: 'DELETE' }).then(loadBans)));
  });
}

function renderRecent() {
  $('recent-empty').textContent = state.recentOff ? 'Call records are off (set cdr.file).' : 'No call records.';
  fill('recent', state.recent, (tr, c) => {
    tr.dataset.callId = c.callId;
    cell(tr, 'Ended', time(c.endedAt ?? c.startedAt));
    cell(tr, 'Caller', party(c));
    cell(tr, 'Dialled', c.dialled);
    cell(tr, 'Status', c.finalStatus === undefined ? '' : String(c.finalStatus), c.finalStatus === 200 ? 'state-answered' : 'state-failed');
    cell(tr, 'Duration', c.durationSeconds ? `${c.durationSeconds} s` : '', 'num');
    cell(tr, 'Hung up by', c.hangupSide);
  });
}

// ---- loading -------------------------------------------------------------------------------

async function loadCalls() {
  const during = new Map();
  state.callsDuringLoad = during;
  try {
    const { calls } = await api('/calls');
    const next = new Map(calls.filter((c) => !state.ended.has(c.callId)).map((c) => [c.callId, c]));
    for (const [id, c] of during) {
      if (c === null) next.delete(id);
      else next.set(id, c);
    }
    state.calls = next;
  } finally {
    if (state.callsDuringLoad === during) state.callsDuringLoad = undefined;
  }
  renderCalls();
}

function callEnded(id) {
  state.calls.delete(id);
  state.callsDuringLoad?.set(id, null);
  state.ended.add(id);
  if (state.ended.size > 500) state.ended.delete(state.ended.values().next().value);
}

async function loadRegistrations() {
  const now = Date.now();
  // the countdown runs from the server's remaining seconds: the browser's clock may be off
  state.registrations = (await api('/registrations')).registrations.map((d) => ({
    ...d,
    contacts: d.contacts.map((c) => ({ ...c, expiresAtHere: now + c.expiresInSeconds * 1000 })),
  }));
  renderRegistrations();
}

async function loadTrunks() {
  state.trunks = (await api('/trunks')).trunks;
  renderTrunks();
}

async function loadBans() {
  state.bans = (await api('/bans')).bans;
  renderBans();
}

/** The last calls: the CDR reader when the server offers one (GET /cdrs), else the CDR file's tail. */
async function loadRecent() {
  try {
    const body = await api(`${state.recentPath}?limit=20`);
    state.recent = body.calls ?? body.cdrs ?? body.records ?? [];
    state.recentOff = false;
  } catch (err) {
    if (err.status !== 404) throw err;
    state.recent = [];
    state.recentOff = true;
  }
  renderRecent();
}

/**
 * Reads what the server offers from its OpenAPI document: trunk out-of-service / in-service routes
 * (absent → no buttons) and a CDR reader.
 */
async function loadCapabilities() {
  const doc = await api('/openapi.json');
  state.recentPath = doc.paths?.['/cdrs']?.get ? '/cdrs' : '/calls/recent';
  const find = (suffix) => Object.entries(doc.paths ?? {}).find(([p, ops]) => p.startsWith('/trunks/') && p.endsWith(suffix) && (ops.post || ops.put));
  const out = find('/out-of-service');
  const back = find('/in-service');
  state.trunkActions = out && back
    ? { outOfService: { path: out[0], method: out[1].post ? 'POST' : 'PUT' }, inService: { path: back[0], method: back[1].post ? 'POST' : 'PUT' } }
    : undefined;
}

async function trunkAction(action, trunk) {
  const path = action.path.replace(/\{([^}]+)\}/g, (_m, name) => encodeURIComponent(name === 'tenant' ? trunk.tenant : trunk.trunk));
  await api(path, { method: action.method });
  await loadTrunks();
}

const loaders = { calls: loadCalls, registrations: loadRegistrations, trunks: loadTrunks, bans: loadBans, recent: loadRecent };
const pending = new Map();

/** Reloads one panel soon; several events in a burst cause one request. */
function reloadSoon(name) {
  if (pending.has(name)) return;
  pending.set(name, setTimeout(() => {
    pending.delete(name);
    loaders[name]().catch(onLoadError);
  }, 150));
}

async function loadAll() {
  await loadCapabilities().catch(() => (state.trunkActions = undefined));
  await Promise.all(Object.values(loaders).map((l) => l()));
}

function onLoadError(err) {
  if (err instanceof Unauthorized) return signOut(err.message);
  $('action-error').textContent = err.message;
}

// ---- the event stream ----------------------------------------------------------------------

function onEvent(type, data) {
  switch (type) {
    case 'ready':
      // (re)connected: whatever happened while we were away is in the lists
      setStatus('live', 'live');
      loadAll().catch(onLoadError);
      return;
    case 'call.started':
    case 'call.answered':
      if (state.ended.has(data.call.callId)) return;
      state.calls.set(data.call.callId, data.call);
      state.callsDuringLoad?.set(data.call.callId, data.call);
      return renderCalls();
    case 'call.ended':
      callEnded(data.call.callId);
      renderCalls();
      return reloadSoon('recent');
    case 'registration.added':
    case 'registration.removed':
    case 'registration.expired':
      return reloadSoon('registrations');
    case 'trunk.changed':
      return reloadSoon('trunks');
    case 'ban.added':
    case 'ban.lifted':
      return reloadSoon('bans');
  }
}

/** Parses one SSE block (`event:` / `data:` lines); comments and ids are ignored. */
function dispatchBlock(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return;
  try {
    onEvent(type, JSON.parse(data.join('\n')));
  } catch (err) {
    console.warn('dashboard: bad event', type, err);
  }
}

async function follow(signal) {
  const res = await fetch(`${API}/events`, { headers: { authorization: `Bearer ${state.token}`, accept: 'text/event-stream' }, signal, cache: 'no-store' });
  if (res.status === 401) throw new Unauthorized('the token was refused');
  if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      dispatchBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function connect() {
  state.stream?.abort();
  const controller = new AbortController();
  state.stream = controller;
  setStatus('connecting', 'connecting…');
  follow(controller.signal).then(
    () => retry(controller),
    (err) => {
      if (controller.signal.aborted) return;
      if (err instanceof Unauthorized) return signOut(err.message);
      retry(controller);
    },
  );
}

function retry(controller) {
  if (state.stream !== controller) return;
  setStatus('offline', 'disconnected, retrying');
  setTimeout(() => state.stream === controller && connect(), RECONNECT_MS);
}

function setStatus(kind, text) {
  $('status').dataset.state = kind;
  $('status').textContent = text;
}

// ---- sign in and out -----------------------------------------------------------------------

function showPanels(signedIn) {
  $('login').hidden = signedIn;
  $('panels').hidden = !signedIn;
  $('forget').hidden = !signedIn;
}

function signOut(reason = '') {
  state.stream?.abort();
  state.stream = undefined;
  state.token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  setStatus('offline', 'not connected');
  $('login-error').textContent = reason;
  showPanels(false);
}

function signIn(token) {
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('login-error').textContent = '';
  showPanels(true);
  connect();
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('token');
  const token = input.value.trim();
  input.value = '';
  if (token) signIn(token);
});
$('forget').addEventListener('click', () => signOut());

// durations and expiry countdowns move without the server; a ban that expires sends no event
setInterval(() => {
  if ($('panels').hidden) return;
  tickCalls();
  renderRegistrations();
  const now = Date.now();
  if (state.bans.some((b) => Date.parse(b.until) <= now)) {
    state.bans = state.bans.filter((b) => Date.parse(b.until) > now);
    renderBans();
  }
}, 1000);

if (state.token) signIn(state.token);
else signOut();
